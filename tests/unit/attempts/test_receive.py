"""attempts.receive: the upload limit and the minimum interval refuse with exit 4, archive the
bytes all the same, and charge nothing for a refused upload or a free error of ours."""
from datetime import datetime, timedelta, timezone

import pytest

from gradekit.attempts import receive as receiving
from gradekit.attempts.storage import append_json_line, read_json_lines
from gradekit.course.layout import Course
from gradekit.errors import Exit

START = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def upload_at(course_copy, monkeypatch):
    """upload_at(seconds after START): receive alice's reference upload then; its outcome."""
    (course_copy / "gradekit.toml").write_text(
        "[ML06]\nmax_uploads = 2\nmin_interval_s = 60\nfree_errors = 1\n")
    course = Course(course_copy)
    data = (course_copy / "reference" / "ML06" / "mlp.py").read_bytes()

    def upload_at(seconds):
        monkeypatch.setattr(receiving, "utc_now", lambda: START + timedelta(seconds=seconds))
        return receiving.receive(course, "ML06", "alice", "mlp.py", data)

    upload_at.log = course_copy / "uploads" / "alice" / "ML06" / "attempts.jsonl"
    return upload_at


def refused(received):
    assert received.outcome is not None
    assert received.outcome["code"] == Exit.REFUSED
    return received.outcome["text"]


def test_too_soon_and_over_the_limit_are_refused_and_refusals_are_not_charged(upload_at):
    assert upload_at(0).outcome is None                       # attempt 1 accepted
    assert refused(upload_at(10)) == ("ML06: upload refused: wait 50 s more "
                                      "(at most one upload per 60 s)")
    # the refused attempt 2 counts neither for the interval nor for the limit
    assert upload_at(65).outcome is None                      # attempt 3 accepted
    assert refused(upload_at(200)) == "ML06: upload refused: the limit of 2 uploads is reached"
    assert refused(upload_at(300)).endswith("the limit of 2 uploads is reached")
    log = read_json_lines(upload_at.log)
    assert [(r["attempt"], r["event"]) for r in log] == [
        (1, "received"), (2, "received"), (2, "refused"), (3, "received"),
        (4, "received"), (4, "refused"), (5, "received"), (5, "refused")]
    archives = sorted(upload_at.log.parent.glob("*.py"))
    assert len(archives) == 5                                 # every byte kept, refused too


def test_a_free_error_of_ours_uses_no_upload_but_later_ones_do(upload_at):
    assert upload_at(0).outcome is None
    append_json_line(upload_at.log, {"event": "error", "attempt": 1, "reason": "ours"})
    assert upload_at(100).outcome is None                     # attempt 1 was free
    append_json_line(upload_at.log, {"event": "error", "attempt": 2, "reason": "ours"})
    assert upload_at(200).outcome is None                     # attempt 2: over free_errors
    assert refused(upload_at(300)).endswith("the limit of 2 uploads is reached")
