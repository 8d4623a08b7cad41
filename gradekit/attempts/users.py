"""Users of the web service: `gradekit users add ID` and `gradekit users import roster.csv`.

A user signs in with an access token that only they hold: 32 random bytes, shown once when
it is made and stored as its SHA-256 (a high-entropy token needs no slow hash; a stolen
database then opens no account).  Adding a user again issues a new token (the old one and
sessions signed in with it stop working).
"""
import csv
import hashlib
import secrets
import sys
from pathlib import Path

from sqlalchemy import delete, insert, select

from ..course.layout import Course, CourseError
from .database import engine_for, users
from .receive import STUDENT_ID

ROLES = ("student", "instructor")
EXIT_BAD_ROSTER = 2


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def add_user(course, user_id, *, role="student", name="", email="") -> str:
    """Create or update a user with a new token; returns the token (shown once)."""
    if not STUDENT_ID.match(user_id or "") or ".." in user_id:
        raise CourseError(f"invalid user id {user_id!r}: use letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise CourseError(f"invalid role {role!r}: student or instructor")
    token = "gk_" + secrets.token_urlsafe(32)
    with engine_for(course).begin() as db:
        db.execute(delete(users).where(users.c.id == user_id))
        db.execute(insert(users).values(id=user_id, role=role, name=name or "", email=email or "",
                                        token_sha256=token_hash(token)))
    return token


def find_by_token(course, token):
    """The user row (id, name, email, role, token_sha256) a token opens, or None."""
    if not token:
        return None
    with engine_for(course).connect() as db:
        return db.execute(select(users).where(users.c.token_sha256 == token_hash(token))).first()


def find(course, user_id):
    with engine_for(course).connect() as db:
        return db.execute(select(users).where(users.c.id == user_id)).first()


def all_users(course, role=None):
    query = select(users).order_by(users.c.id)
    if role:
        query = query.where(users.c.role == role)
    with engine_for(course).connect() as db:
        return list(db.execute(query))


def main_add(*, user_id: str, role: str = "student", name: str = "",
             course_root: Path = Path(".")) -> int:
    """`gradekit users add ID`: the token is printed last, alone on its line."""
    course = Course(course_root)
    token = add_user(course, user_id, role=role, name=name)
    print(f"gradekit: {role} {user_id} added; their access token (shown only now):")
    print(token)
    return 0


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
        return EXIT_BAD_ROSTER
    for line, row in enumerate(rows, start=2):   # check every row before adding any
        if not STUDENT_ID.match(row["id"] or "") or (row.get("role") or "student") not in ROLES:
            print(f"gradekit: {roster}:{line}: bad id {row['id']!r} or role {row.get('role')!r}",
                  file=sys.stderr)
            return EXIT_BAD_ROSTER
    target = Path(to or Path(roster).with_name("tokens.csv"))
    with open(target, "w", newline="", encoding="utf-8", opener=_private) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "email", "role", "token"])
        for row in rows:
            role = row.get("role") or "student"
            token = add_user(course, row["id"], role=role, name=row["name"], email=row["email"])
            writer.writerow([row["id"], row["name"], row["email"], role, token])
    print(f"gradekit: {len(rows)} users imported; their tokens are in {target} (keep it private)")
    return 0


def _private(path, flags):
    import os
    return os.open(path, flags, 0o600)
