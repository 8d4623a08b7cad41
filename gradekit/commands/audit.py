"""`gradekit audit ASSIGNMENT`: mutation testing of the hidden graders (gradekit.audit)."""
import sys
from pathlib import Path

from ..audit import run_audit
from ..audit.report import to_json_text, to_text
from ..course.layout import Course
from ..errors import Exit


def main(*, assignment: str, course_root: Path = Path("."), as_json: bool = False,
         jobs: int = None, quick: bool = False, limit: int = None, only=None,
         strict: bool = False) -> int:
    """Audit the graders of `assignment`; exit 0 all fine, 1 a grader let something through."""
    course = Course(course_root)
    report = run_audit(course, assignment, jobs=jobs, quick=quick, limit=limit, only=only,
                       strict=strict, show_progress=not as_json and sys.stderr.isatty())
    if as_json:
        print(to_json_text(report))
        for problem in report["problems"]:
            print(f"gradekit: audit: {problem}", file=sys.stderr)
    else:
        print(to_text(report))
    return Exit.DONE if report["passed"] else Exit.BROKEN
