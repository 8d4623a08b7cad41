"""`gradekit export ASSIGNMENT [--to FILE]`: the gradebook's grades as CSV.

`nbgrader export` works too (it reads the same gradebook.db); this one adds the per-cell
autograded scores and the late penalty in one file per assignment.
"""
import sys
from pathlib import Path

from ..attempts import table as attempts
from ..course.layout import Course
from ..reports.grades_csv import csv_text, rows
from ..errors import Exit


def main(*, assignment: str, to: Path | None = None, course_root: Path = Path(".")) -> int:
    course = Course(course_root)
    course.assignment(assignment)
    table = rows(course, assignment)
    target = to or course.root / f"grades-{assignment}.csv"
    Path(target).write_text(csv_text(table), encoding="utf-8")
    print(f"gradekit: {len(table)} grades of {assignment} written to {target}")
    unrecorded = [row for row in attempts.to_grade(course)
                  if row.unrecorded and row.assignment == assignment]
    if unrecorded:   # shown to students, not yet in the gradebook (record.py)
        print(f"gradekit: warning: {len(unrecorded)} graded attempts of {assignment} are not "
              "in the gradebook yet (being recorded now, or left by a lost worker: the "
              "grading service records them again at its start); export again later",
              file=sys.stderr)
    return Exit.DONE
