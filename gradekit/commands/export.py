"""`gradekit export ASSIGNMENT [--to FILE]`: the gradebook's grades as CSV.

`nbgrader export` works too (it reads the same gradebook.db); this one adds the per-cell
autograded scores and the late penalty in one file per assignment.
"""
import csv
import io
import sys
from pathlib import Path

from ..attempts import table as attempts
from ..course.layout import Course
from ..attempts.gradebook import open_gradebook


def rows(course, assignment):
    """One dict per submission: student, score, max_score, late penalty, per-cell scores."""
    from nbgrader.api import MissingEntry
    with open_gradebook(course) as book:
        try:
            found = book.find_assignment(assignment)
        except MissingEntry:
            return []
        table = []
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            row = {"student": submission.student.id, "score": submission.score,
                   "max_score": submission.max_score,
                   "late_penalty": submission.late_submission_penalty or 0.0,
                   "timestamp": submission.timestamp}
            for notebook in submission.notebooks:
                for grade in sorted(notebook.grades, key=lambda g: g.name):
                    row[grade.name] = grade.score
            table.append(row)
        return table


def csv_text(table) -> str:
    """rows() as CSV (the columns of the first row; the basic ones when there is none)."""
    buffer = io.StringIO()
    fields = list(table[0]) if table else ["student", "score", "max_score", "late_penalty"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


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
    return 0
