"""gradekit users: tokens are printed once, stored hashed, and a roster imports a class."""
import csv
import stat

from sqlalchemy import select

from gradekit.course.layout import Course
from gradekit.attempts.database import engine_for, users
from gradekit.attempts.users import find_by_token, token_hash
from tests.helpers import gradekit


def test_add_prints_the_token_last_and_stores_only_its_hash(course_copy):
    done = gradekit(course_copy, "users", "add", "alice", "--name", "Alice")
    assert done.returncode == 0
    token = done.stdout.strip().splitlines()[-1]
    assert token.startswith("gk_") and len(token) > 40
    with engine_for(Course(course_copy)).connect() as db:
        row = db.execute(select(users)).one()
    assert (row.id, row.name, row.role) == ("alice", "Alice", "student")
    assert row.token_sha256 == token_hash(token) and token not in str(tuple(row))
    assert not (course_copy / ".gradekit" / "service.db").read_bytes().count(token.encode())
    again = gradekit(course_copy, "users", "add", "alice").stdout.strip().splitlines()[-1]
    assert find_by_token(Course(course_copy), token) is None   # the old token stops working
    assert find_by_token(Course(course_copy), again).id == "alice"


def test_bad_ids_and_roles_are_one_line_errors(course_copy):
    done = gradekit(course_copy, "users", "add", "../etc")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "invalid user id" in done.stderr
    assert gradekit(course_copy, "users", "add", "x", "--role", "root").returncode == 2


def test_import_a_roster(course_copy, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,role\nann,Ann,ann@x.cz,\nbob,Bob,bob@x.cz,student\n"
                      "prof,Prof,prof@x.cz,instructor\n")
    done = gradekit(course_copy, "users", "import", str(roster))
    assert done.returncode == 0, done.stderr
    tokens = tmp_path / "tokens.csv"
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    rows = list(csv.DictReader(tokens.read_text().splitlines()))
    assert [(r["id"], r["role"]) for r in rows] == \
        [("ann", "student"), ("bob", "student"), ("prof", "instructor")]
    for row in rows:
        assert find_by_token(Course(course_copy), row["token"]).id == row["id"]
    roster.write_text("id,name\nann,Ann\n")
    bad = gradekit(course_copy, "users", "import", str(roster))
    assert bad.returncode == 2 and "id,name,email" in bad.stderr
