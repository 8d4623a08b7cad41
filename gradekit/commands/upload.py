"""`gradekit upload ASSIGNMENT PATH --student ID`: a BRUTE-style upload, graded at once.

The command only reads the file and hands the upload to the grading seam (gradekit.dispatch),
which does it in a running warm server or here (attempts/receive.py).  Standard library only at
import time, so a warm upload's client stays light.
"""
import json
import sys
from pathlib import Path

from ..course.layout import Course, CourseError
from ..dispatch import grader_for


def main(*, assignment: str, path: Path, student: str, as_json: bool = False,
         course_root: Path = Path(".")) -> int:
    """Archive, check, grade and record one upload; print the BRUTE report or JSON."""
    course = Course(course_root)
    course.assignment(assignment)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CourseError(f"cannot read {path}: {exc.strerror}") from None
    outcome = grader_for(course, assignment).upload(student, Path(path).name, data)
    print(json.dumps(outcome["json"], indent=2) if as_json else outcome["text"])
    if outcome["code"] != 0:
        print(f"gradekit: {outcome['json'].get('error')}", file=sys.stderr)
    return outcome["code"]
