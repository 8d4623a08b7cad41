"""`gradekit grade ASSIGNMENT PATH [--json]`: grade one file, record nothing."""
import sys
from pathlib import Path

from ..attempts.states import Status
from ..course.layout import Course
from ..dispatch import grader_for
from ..reports.render import to_json_text, to_text
from ..errors import Exit


def main(*, assignment: str, path: Path, as_json: bool = False, course_root: Path = Path(".")) -> int:
    """Grade `path` against the hidden graders of `assignment`; exit 0 graded, 2 rejected."""
    course = Course(course_root)
    assignment = course.assignment(assignment)
    result = grader_for(course, assignment).grade_file(path)
    print(to_json_text(result) if as_json else to_text(result))
    if result.status == Status.REJECTED:
        print(f"gradekit: rejected: {result.error}", file=sys.stderr)
    return exit_code(result)


def exit_code(result) -> Exit:
    """What `gradekit grade` exits with for a result: 2 rejected, 0 graded (whatever the score)."""
    return Exit.USAGE if result.status == Status.REJECTED else Exit.DONE
