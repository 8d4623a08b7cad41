"""A warm worker's kept pytest session (grading/kept.py) grades like a fresh pytest.main."""
from pathlib import Path

import pytest

from gradekit.course.layout import Course
from gradekit.grading import run
from gradekit.grading.library import read_example

REPO = Path(__file__).resolve().parents[3]
COURSE = Course(REPO)
MUTANTS = REPO / "graders" / "ML06" / "mutants"


def comparable(result):
    report = result.to_json()
    del report["duration_s"]
    return report


@pytest.mark.slow
def test_a_kept_session_grades_each_submission_like_a_fresh_one(sandbox_mode, tmp_path,
                                                                monkeypatch):
    """Passing, failing and stub (every function raises) submissions in turn, in one group
    and in two: the same reports as pytest.main gives each alone, and no finding of one
    reaches the next."""
    samples = [REPO / "reference" / "ML06" / "mlp.py",
               read_example(MUTANTS / "grad_delta3_sign.py", "mutants").write_to(tmp_path),
               REPO / "release" / "ML06" / "ML06.ipynb",
               REPO / "reference" / "ML06" / "mlp.py"]
    fresh = [run.grade_path(COURSE, "ML06", path, check_slots=1 + i % 2)
             for i, path in enumerate(samples)]
    assert len({r.score for r in fresh}) == 3   # the samples are told apart
    monkeypatch.setattr(run, "_kept", {})
    monkeypatch.setattr(run, "_keeping", True)
    try:
        kept = [run.grade_path(COURSE, "ML06", path, check_slots=1 + i % 2)
                for i, path in enumerate(samples)]
        (session,) = run._kept.values()
        assert session.runs == len(samples)                  # one session served them all
        # reports rendered as pytest.main renders them: no traceback of each failed check
        assert session.config.getoption("tbstyle") == "no"
    finally:
        for session in run._kept.values():
            session.close()
    assert [comparable(r) for r in kept] == [comparable(r) for r in fresh]
    assert [sorted(r.artifacts) for r in kept] == [sorted(r.artifacts) for r in fresh]
    assert kept[0].artifacts and kept[0].artifacts is not kept[-1].artifacts


def test_without_a_kept_session_pytest_runs_afresh(sandbox_mode, monkeypatch):
    """pytest's internals changed (the session cannot be built): graded as in a cold run."""
    from gradekit.grading import kept

    def unavailable(*_args, **_kwargs):
        raise ImportError("cannot import name '_prepareconfig'")

    monkeypatch.setattr(kept.KeptSession, "__init__", unavailable)
    monkeypatch.setattr(run, "_kept", {})
    monkeypatch.setattr(run, "_keeping", True)
    stub = run.grade_path(COURSE, "ML06", REPO / "release" / "ML06" / "ML06.ipynb")
    assert stub.status == "graded" and stub.score == 0.0 and len(stub.tests) > 20
    assert list(run._kept.values()) == [None]   # not tried again at every grading
