"""`gradekit users add ID` and `gradekit users import roster.csv`: the web service's users.

Tokens are made and stored by gradekit.attempts.users; here they are shown once (add) or
written to a private CSV (import).
"""
import csv
import os
import sys
from pathlib import Path

from ..attempts.receive import STUDENT_ID
from ..attempts.users import ROLES, add_user
from ..course.layout import Course, CourseError
from ..errors import Exit


def main_add(*, user_id: str, role: str = "student", name: str = "",
             course_root: Path = Path(".")) -> int:
    """`gradekit users add ID`: the token is printed last, alone on its line."""
    course = Course(course_root)
    token = add_user(course, user_id, role=role, name=name)
    print(f"gradekit: {role} {user_id} added; their access token (shown only now):")
    print(token)
    return Exit.DONE


def main_import(*, roster: Path, to: Path | None = None, course_root: Path = Path(".")) -> int:
    """`gradekit users import roster.csv`: columns id,name,email[,role]; tokens to tokens.csv."""
    course = Course(course_root)
    try:
        with open(roster, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CourseError(f"cannot read {roster}: {exc.strerror}") from None
    if not rows or not {"id", "name", "email"} <= set(rows[0]):
        print(f"gradekit: {roster}: the roster needs the columns id,name,email[,role]",
              file=sys.stderr)
        return Exit.USAGE
    for line, row in enumerate(rows, start=2):   # check every row before adding any
        if not STUDENT_ID.match(row["id"] or "") or (row.get("role") or "student") not in ROLES:
            print(f"gradekit: {roster}:{line}: bad id {row['id']!r} or role {row.get('role')!r}",
                  file=sys.stderr)
            return Exit.USAGE
    target = Path(to or Path(roster).with_name("tokens.csv"))
    with open(target, "w", newline="", encoding="utf-8", opener=_private) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "email", "role", "token"])
        for row in rows:
            role = row.get("role") or "student"
            token = add_user(course, row["id"], role=role, name=row["name"], email=row["email"])
            writer.writerow([row["id"], row["name"], row["email"], role, token])
    print(f"gradekit: {len(rows)} users imported; their tokens are in {target} (keep it private)")
    return Exit.DONE


def _private(path, flags):
    return os.open(path, flags, 0o600)
