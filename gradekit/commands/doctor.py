"""`gradekit doctor`: will grading work here?  One line per finding, and what follows from it.

It starts a real sandbox exactly as a grading does, so what it reports about the sandbox is
what every grading will see, not a guess from the host (the checks: gradekit/diagnostics/).
"""
import shutil
from pathlib import Path

from ..course.layout import Course, CourseError
from ..diagnostics.course import check_course, check_in_flight, check_services
from ..diagnostics.findings import Findings
from ..diagnostics.isolation import check_isolation
from ..diagnostics.machine import (check_bubblewrap, check_host, check_python, check_sandbox,
                                   sandbox_modules)
from ..errors import Exit


def main(*, course_root: Path = Path(".")) -> int:
    """Print the findings; exit 0 when grading will work here, 1 when it will not."""
    found = Findings()
    print("gradekit doctor")
    check_python(found)
    check_bubblewrap(found)
    check_host(found)
    check_sandbox(found, sandbox_modules(Course(course_root), found))
    check_isolation(found)
    try:
        check_course(found, course_root)
        check_services(found, course_root)
        check_in_flight(found, course_root)
    except CourseError as exc:   # gradekit.toml refused: every command stops on it
        found.fail("course", str(exc))
    if shutil.which("gradekit") is None:
        found.warn("PATH", "the gradekit command is not on PATH (activate the environment)")
    print("grading will NOT work here: fix the FAIL lines above" if found.broken
          else "grading will work here")
    return Exit.BROKEN if found.broken else Exit.DONE
