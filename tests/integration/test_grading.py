"""Grading end to end: the reference, the release stub, the mutant/variant/attack library.

The library (graders/ML06/{mutants,variants,attacks}) says per file which grade cells must
lose points; these tests hold the graders to it.  Attacks run under both sandbox levels, and
their reports must be the recorded ones (tests/integration/test_library_grades.py).
"""
import json

import pytest

from gradekit.course.layout import Course
from gradekit.grading.library import BASES, load_library
from gradekit.grading.run import grade_bytes, grade_path
from tests.helpers import ATTACK_BUDGET_S, LIBRARY_RECORD, comparable, kept_report, library_diff

COURSE = Course(__file__.rsplit("/tests/", 1)[0])
LIBRARY = load_library(COURSE.graders_dir("ML06"))
MUTANT_BASES = sorted((COURSE.graders_dir("ML06") / "mutants" / BASES).glob("*.py"))


def by_kind(kind):
    return [pytest.param(e, id=e.path.stem) for e in LIBRARY if e.kind == kind]


def grade(path, **limits):
    """Grade a file of the course's ML06 and check the report is internally consistent."""
    return consistent(grade_path(COURSE, "ML06", path, **limits))


def grade_example(example, **limits):
    """Grade a library file as the library composes it (a mutant: its base plus itself)."""
    data = example.source().encode("utf-8")
    return consistent(grade_bytes(COURSE, "ML06", example.path.name, data, **limits))


def consistent(result):
    assert result.status == "graded", result.error
    assert result.max_score == pytest.approx(10.0)
    assert result.score == pytest.approx(sum(t.score for t in result.tests))
    return result


def lost_cells(result):
    return {cell for cell, (got, most) in result.cell_scores().items() if got < most - 1e-9}


@pytest.mark.slow
@pytest.mark.smoke
def test_reference_script_gets_full_marks(sandbox_mode):
    result = grade(COURSE.reference_dir("ML06") / "mlp.py")
    assert result.score == pytest.approx(10.0), [t for t in result.tests if t.status != "passed"]
    assert result.sandbox.startswith(sandbox_mode)


@pytest.mark.slow
def test_solved_source_notebook_gets_full_marks():
    result = grade(COURSE.source_dir("ML06") / "ML06.ipynb")
    assert result.score == pytest.approx(10.0), [t for t in result.tests if t.status != "passed"]
    assert result.load == []


@pytest.mark.slow
@pytest.mark.smoke
def test_release_stub_gets_nothing_and_says_not_implemented():
    result = grade(COURSE.release_dir("ML06") / "ML06.ipynb")
    assert result.score == 0.0
    for test in result.tests:
        assert test.status == "error", test
        assert "not implemented" in test.output or "is not defined" in test.output, test


@pytest.mark.slow
@pytest.mark.parametrize("base", MUTANT_BASES, ids=lambda p: p.stem)
def test_mutant_base_gets_full_marks(base):
    """A mutant is its base plus one mistake: the base itself must be right."""
    result = grade(base)
    assert result.score == pytest.approx(10.0), [t for t in result.tests if t.status != "passed"]


@pytest.mark.slow
def test_audit_of_the_real_graders_passes():
    """CI's audit: every annotated mutant killed where its header says, every honest variant
    at full marks, reference 10, stub 0 (exit 1 names the culprit), plus a few generated
    mutants to keep the machinery honest (survivors are reported, not failed)."""
    from gradekit.audit import run_audit
    report = run_audit(COURSE, "ML06", jobs=2, limit=6)
    assert report["passed"], report["problems"]
    library = report["library"]
    assert library["mutants_killed"] == library["mutants"] == len(by_kind("mutants"))
    assert library["variants_ok"] == library["variants"] == len(by_kind("variants"))


@pytest.mark.slow
@pytest.mark.parametrize("example", by_kind("attacks"))
def test_attack_gains_nothing(example, sandbox_mode):
    result = grade_example(example, budget_s=ATTACK_BUDGET_S)
    gained = {cell: got for cell, (got, _) in result.cell_scores().items()
              if cell in example.must_fail and got > 0}
    assert not gained, f"{example.name} ({example.note or example.description}) gained {gained}"
    assert result.sandbox.startswith(sandbox_mode)
    recorded = json.loads(LIBRARY_RECORD.read_text(encoding="utf-8")).get(example.name)
    recorded, found = comparable(recorded, kept_report(example.kind, result))
    diff = library_diff({example.name: recorded}, {example.name: found})
    assert not diff, f"the report differs from the recorded one:\n{diff}"


@pytest.mark.slow
def test_grader_is_healthy_after_attacks(sandbox_mode):
    """Files and processes an attack leaves behind do not change the next grading."""
    attacks = {e.path.name: e for e in LIBRARY if e.kind == "attacks"}
    for name in ("files_for_later_runs.py", "background_writer.py", "fork_bomb_bounded.py"):
        grade_example(attacks[name])
    result = grade(COURSE.reference_dir("ML06") / "mlp.py")
    assert result.score == pytest.approx(10.0)
