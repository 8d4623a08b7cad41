"""Whose failure it is: a student's value that makes a check raise fails that check (graded,
counted), a check's own bug is ours (exit 3, never retried), and "error" attempts stop being
free after the policy's free_errors.  The hostile values here are attacks of our own: a huge
int, a ragged list, a wrong type, NaN and inf, forged answer lines printed and written to the
sandbox's answer channel."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gradekit.attempts import table as attempt_rows
from gradekit.course.layout import Course
from gradekit.errors import EngineBug, Exit, OurFailure, SandboxError, StudentFault
from gradekit.grading.run import grade_bytes
from gradekit.sandbox.outcomes import StudentError
from gradekit.attempts.record import grade_attempt
from gradekit.attempts.receive import receive, upload
from gradekit.web.views import assignment_summary

REPO = Path(__file__).resolve().parents[2]
REFERENCE = (REPO / "reference" / "ML06" / "mlp.py").read_text(encoding="utf-8")

# The reference, then functions that return what a check cannot compute with.  Each name is
# the check whose arithmetic it used to break (our exit 3, "error", retried, no upload used).
HOSTILE = REFERENCE + '''

import gc as _gc


def sigmoid(a):
    return {"not": "numbers"}                      # a wrong type


def forward(X, W1, w2):
    return [[0.5, 0.5], [0.5]], [0.5]              # a ragged list


def loss(y, y_hat):
    return 10 ** 400                               # an int beyond float range (and the codec's cap)


def gradients(X, y, W1, w2):
    return np.full(np.shape(W1), np.nan), np.full(np.shape(w2), np.inf)


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    print('{"ok": true, "value": [10.0, 10.0, 10.0]}')   # a forged answer line, printed
    return W1, w2, [[1.0], [2.0, 3.0]]                  # ragged losses


def predict(X, W1, w2):
    # forged lines on the sandbox's own answer channel: not JSON of an answer, then an
    # answer whose value no decoder takes
    for holder in [o for o in _gc.get_objects() if type(o).__name__ == "Child"]:
        holder.outbox.write(b'[1, 2]\\n{"ok": true, "value": {"__dict__": [1]}}\\n')
        holder.outbox.flush()
    return np.zeros(len(X), dtype=int)
'''
HOSTILE_CELLS = ("test_sigmoid", "test_forward", "test_loss", "test_gradients", "test_train",
                 "test_predict")


def hostile_verdicts(result):
    assert result.status == "graded", result.error   # graded: nothing raised out of grading
    by_cell = {}
    for test in result.tests:
        by_cell.setdefault(test.cell, []).append(test)
    for cell in HOSTILE_CELLS:
        for test in by_cell[cell]:
            assert test.score == 0, (test.name, test.output)
            assert "internal grader error" not in test.output, (test.name, test.output)
    return {t.name: t for t in result.tests}


@pytest.mark.slow
def test_values_that_break_a_check_fail_that_check(sandbox_mode):
    """Cold path, both sandbox levels: every hostile value costs its check, nothing else."""
    course = Course(REPO)
    result = grade_bytes(course, "ML06", "hostile.py", HOSTILE.encode())
    tests = hostile_verdicts(result)
    assert sandbox_mode in result.sandbox
    # the answers and sklearn cells are the reference's: the hostile functions cost no more
    for name, test in tests.items():
        if test.cell in ("test_answers", "test_init_weights", "test_sklearn_221"):
            assert test.status == "passed", (name, test.output)
    # judged by the helpers (validated before any arithmetic): the message names the value
    assert "more than 20 digits" in tests["test_loss::test_mean_cross_entropy"].output
    assert "ragged" in tests["test_forward::test_two_hidden_units"].output
    assert "NaN or inf" in tests["test_gradients::test_two_hidden_units"].output
    # a value the check's own arithmetic could not take: failed as the student's
    losses = tests["test_train::test_loss_history_is_consistent"]
    assert losses.status == "failed" and losses.visibility == "hidden"
    # the forged line it printed is shown as its output, never taken for an answer
    reduces = tests["test_train::test_reduces_loss"]
    assert reduces.status == "failed" and '"ok": true' in reduces.output
    # a garbled answer channel fails the call that read it, as the student's
    assert "garbled answer" in tests["test_predict::test_two_hidden_units"].output


@pytest.mark.slow
def test_hostile_upload_is_graded_and_counted_on_the_warm_path(course_copy, warm_server,
                                                               tmp_path):
    """Warm path, one scenario: `gradekit upload` exits 0, the attempt is graded and uses
    an upload."""
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 1\nmin_interval_s = 0\n")
    path = tmp_path / "hostile.py"
    path.write_text(HOSTILE)
    with warm_server(course_copy, "ML06"):
        done = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", "ML06",
                               str(path), "--student", "mallory", "--json"], cwd=course_copy,
                              capture_output=True, text=True, timeout=600)
        again = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", "ML06",
                                str(path), "--student", "mallory"], cwd=course_copy,
                               capture_output=True, text=True, timeout=600)
    assert done.returncode == Exit.DONE, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "graded" and report["upload"]["counts"]
    assert all(t["score"] == 0 for t in report["tests"]
               if t["name"].split("::")[0] in HOSTILE_CELLS)
    assert again.returncode == Exit.REFUSED, again.stderr   # the one upload was used


class Broken:
    """The grading transport of a host whose sandbox cannot start (our failure)."""

    transport = "local"
    failure = SandboxError

    def grade(self, filename, data, **identity):
        raise SandboxError("bubblewrap could not start the sandbox (test)")


class Buggy(Broken):
    """... and of one whose graders have a bug."""

    failure = EngineBug

    def grade(self, filename, data, **identity):
        raise EngineBug("grader failed: test_x::test_y: NameError: name 'z' is not defined")


def test_errors_stop_being_free_after_free_errors(course_copy):
    """Three "error" attempts use no upload; the fourth and later do, and say so."""
    (course_copy / "gradekit.toml").write_text(
        "[ML06]\nmax_uploads = 2\nmin_interval_s = 0\nfree_errors = 3\n")
    course = Course(course_copy)
    reasons = []
    for _ in range(5):
        with pytest.raises(SandboxError):
            upload(course, "ML06", "eve", "a.py", b"x = 1\n", grader=Broken())
        row = attempt_rows.listing(course, "ML06", "eve")[-1]
        assert row.status == "error"
        reasons.append(row.reason)
    assert all("no upload used up" in r for r in reasons[:3]), reasons
    assert all("uses up an upload" in r for r in reasons[3:]), reasons
    refused = upload(course, "ML06", "eve", "a.py", b"x = 1\n", grader=Broken())
    assert refused["code"] == Exit.REFUSED and "limit of 2 uploads" in refused["text"]
    summary = assignment_summary(course, "ML06", "eve")
    assert summary["used"] == 2 and summary["left"] == 0
    log = (course_copy / "uploads" / "eve" / "ML06" / "attempts.jsonl").read_text()
    assert log.count('"event": "error"') == 5   # every one visible to the instructor


def test_a_bug_of_ours_is_error_at_once_never_retried(course_copy):
    """A sandbox that cannot start is retried (queued again); a bug is "error" at once."""
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")
    course = Course(course_copy)
    for student, grader, status in (("bob", Broken(), "queued"), ("ann", Buggy(), "error")):
        received = receive(course, "ML06", student, "a.py", b"x = 1\n")
        with pytest.raises(type(grader).failure):
            grade_attempt(course, "ML06", student, received.number, grader=grader)
        row = attempt_rows.listing(course, "ML06", student)[-1]
        assert (row.status, row.tries) == (status, 1), (student, row.reason)


def test_the_hierarchy_decides_exit_codes():
    from gradekit.course.layout import CourseError
    from gradekit.submissions.load import Rejected
    assert CourseError("x").exit == Rejected("x").exit == Exit.USAGE == 2
    assert SandboxError("x").exit == EngineBug("x").exit == Exit.OURS == 3
    assert isinstance(SandboxError("x"), RuntimeError) and SandboxError("x").retry
    assert not EngineBug("x").retry
    assert isinstance(StudentError("exception", "x"), StudentFault)
    assert isinstance(CourseError("x"), ValueError)   # earlier callers catch it so


def test_a_grading_process_told_to_stop_is_graded_again(course_copy):
    """SystemExit in a check (a worker pool cancelling its job when the broker goes away)
    is neither the student's nor a bug of the check: the attempt is retried, not "error"."""
    graders = course_copy / "graders" / "ML06" / "test_sigmoid.py"
    graders.write_text(graders.read_text(encoding="utf-8") + (
        "\n\n@pytest.mark.points(0.25)\ndef test_stopped(student):\n"
        "    student.sigmoid(0.0)\n    raise SystemExit(-241)\n"), encoding="utf-8")
    course = Course(course_copy)
    with pytest.raises(OurFailure) as stopped:
        grade_bytes(course, "ML06", "mlp.py", REFERENCE.encode())
    assert not isinstance(stopped.value, EngineBug) and stopped.value.retry
    assert "interrupted" in str(stopped.value)
