"""Every annotated library file grades exactly as recorded, report field by report field.

tests/library_grades/ML06.json keeps, per file of graders/ML06/{mutants,variants,attacks},
the pinned JSON report (every test's name, points, status, visibility and message; the
parts that failed to load; a rejection's error) and the exit code of `gradekit grade`,
without what varies from run to run (tests/helpers.py `kept_report` says what and why).
This module checks the mutants and variants; the attacks are graded under both sandbox
levels by test_grading.py, which checks them against the same record.  Any change of the
engine, the graders or the rendering that changes a byte of a report fails here with a diff.
To record them again after a deliberate change (from the repository root, a few minutes):
    python -m tests.integration.test_library_grades
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ATTACK_BUDGET_S, LIBRARY_RECORD, kept_report, library_diff

ROOT = Path(__file__).resolve().parents[2]


def library_grades(kinds=("mutants", "variants"), jobs=2):
    """{"mutants/x.py": kept_report(...)} for the library files of `kinds`, graded now."""
    from gradekit.course.layout import Course
    from gradekit.grading.library import load_library
    from gradekit.grading.pool import grade_many
    course = Course(ROOT)
    examples = load_library(course.graders_dir("ML06"), kinds)
    folder = Path(tempfile.mkdtemp(prefix="gradekit-library-"))
    try:
        paths = [e.write_to(folder / e.kind) for e in examples]
        found = {}
        for index, result in grade_many(course, "ML06", paths, jobs=jobs):
            assert result.status != "error", (examples[index].name, result.error)
            found[examples[index].name] = kept_report(examples[index].kind, result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return dict(sorted(found.items()))


def attack_grades():
    """The same for the attacks, one at a time with the budget test_grading.py gives them."""
    from gradekit.course.layout import Course
    from gradekit.grading.library import load_library
    from gradekit.grading.run import grade_bytes
    course = Course(ROOT)
    return {e.name: kept_report(e.kind, grade_bytes(course, "ML06", e.path.name,
                                                    e.source().encode("utf-8"),
                                                    budget_s=ATTACK_BUDGET_S))
            for e in load_library(course.graders_dir("ML06"), ("attacks",))}


@pytest.mark.slow
def test_library_grades_are_unchanged():
    recorded = json.loads(LIBRARY_RECORD.read_text(encoding="utf-8"))
    recorded = {name: entry for name, entry in recorded.items()
                if not name.startswith("attacks/")}
    graded = library_grades()
    diff = library_diff(recorded, graded)
    assert not diff, f"reports differ from the recorded ones:\n{diff}"


if __name__ == "__main__":
    LIBRARY_RECORD.parent.mkdir(exist_ok=True)
    record = {**library_grades(), **attack_grades()}
    LIBRARY_RECORD.write_text(json.dumps(dict(sorted(record.items())), indent=1,
                                         ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {LIBRARY_RECORD}", file=sys.stderr)
