"""The course database: a database made by an earlier gradekit gains the new columns."""
import sqlite3

from gradekit.attempts import table as attempts
from gradekit.course.layout import Course
from gradekit.attempts.database import database_url, engine_for

# gk_attempts as gradekit created it before the `recorded` column
OLD_ATTEMPTS = """CREATE TABLE gk_attempts (
    id INTEGER PRIMARY KEY, assignment VARCHAR(64) NOT NULL, student VARCHAR(80) NOT NULL,
    number INTEGER NOT NULL, filename VARCHAR(255) NOT NULL, archive VARCHAR(512) NOT NULL,
    received VARCHAR(40) NOT NULL, status VARCHAR(16) NOT NULL, reason TEXT,
    tries INTEGER NOT NULL, score FLOAT, max_score FLOAT, late_penalty FLOAT,
    counts BOOLEAN, report TEXT, updated VARCHAR(40),
    CONSTRAINT gk_attempt_identity UNIQUE (assignment, student, number))"""
OLD_ROW = """INSERT INTO gk_attempts (assignment, student, number, filename, archive, received,
    status, tries, score, max_score, counts, report, updated) VALUES ('ML06', 'ada', 1,
    'mlp.py', 'uploads/ada/ML06/x.py', '2026-11-30T10:00:00+00:00', 'graded', 1, 10.0, 10.0,
    1, '{"score": 10.0}', '2026-11-30T10:00:05+00:00')"""


def test_an_earlier_sqlite_database_gains_the_recorded_column(course_copy):
    course = Course(course_copy)
    path = database_url(course).removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute(OLD_ATTEMPTS)
        db.execute(OLD_ROW)
    engine_for(course)
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(gk_attempts)")]
    assert columns[-1] == "recorded"
    row = attempts.get(course, "ML06", "ada", 1)
    assert (row.status, row.score, row.recorded, row.unrecorded) == ("graded", 10.0, None, False)
    assert attempts.to_grade(course) == []   # graded before the column: recorded then
