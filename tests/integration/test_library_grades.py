"""Every annotated library file (mutants, variants) grades exactly as recorded, test by test.

The recorded grades (tests/library_grades/ML06.json) were written by the engine before any
speed work touched it; any change to how checks run (in parallel, cached, exiting early) must
leave every score and status as it was.  To record them again after a deliberate change of
the graders:  python tests/integration/test_library_grades.py   (from the repository root).
"""
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ROOT / "tests" / "library_grades" / "ML06.json"


def library_grades(jobs=2):
    """{"mutants/x.py": {test name: [score, status]}} for the whole library, graded now."""
    from gradekit.course.layout import Course
    from gradekit.grading.library import load_library
    from gradekit.grading.pool import grade_many
    course = Course(ROOT)
    examples = load_library(course.graders_dir("ML06"), ("mutants", "variants"))
    folder = Path(__import__("tempfile").mkdtemp(prefix="gradekit-library-"))
    paths = [e.write_to(folder / e.kind) for e in examples]
    found = {}
    for index, result in grade_many(course, "ML06", paths, jobs=jobs):
        assert result.status == "graded", (examples[index].name, result.error)
        found[examples[index].name] = {t.name: [t.score, t.status] for t in result.tests}
    __import__("shutil").rmtree(folder, ignore_errors=True)
    return dict(sorted(found.items()))


@pytest.mark.slow
def test_library_grades_are_unchanged():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    graded = library_grades()
    assert sorted(graded) == sorted(recorded), "the library changed: record its grades again"
    changed = {name: {test: (recorded[name].get(test), got) for test, got in tests.items()
                      if recorded[name].get(test) != got}
               for name, tests in graded.items() if tests != recorded[name]}
    assert not changed, f"grades differ from the recorded ones (recorded, now): {changed}"


if __name__ == "__main__":
    RECORDED.parent.mkdir(exist_ok=True)
    RECORDED.write_text(json.dumps(library_grades(), indent=1) + "\n", encoding="utf-8")
    print(f"recorded {RECORDED}", file=sys.stderr)
