"""course.policy: which attempt counts, which uploads are spent, the late penalty."""
from datetime import datetime, timedelta, timezone

import pytest

from gradekit.attempts.states import Status
from gradekit.attempts.table import Attempt
from gradekit.course.policy import Policy

DEADLINE = datetime(2026, 12, 20, 23, 59, tzinfo=timezone(timedelta(hours=1)))


def row(number, score, status=Status.GRADED, counts=True, late_penalty=0.0):
    return Attempt("A", "s", number, "a.py", "a.py", "2026-12-01T10:00:00+00:00", status,
                   score=score, counts=counts, late_penalty=late_penalty)


def test_latest_counts_the_newest_graded_attempt_whatever_its_score():
    rows = [row(1, 9.0), row(2, 3.0), row(3, None, status=Status.ERROR), row(4, 1.0, counts=False)]
    assert Policy(counts="latest").counted(rows).number == 2


def test_best_counts_the_highest_score_after_penalty_and_the_earlier_on_a_tie():
    rows = [row(1, 6.0), row(2, 9.0, late_penalty=4.0), row(3, 6.0), row(4, 5.5)]
    assert Policy(counts="best").counted(rows).number == 1


def test_nothing_counts_before_a_graded_attempt():
    assert Policy().counted([row(1, None, status=Status.QUEUED)]) is None


@pytest.mark.parametrize("counts, current, attempt, score, expected", [
    ("latest", None, 1, 0.0, True),
    ("latest", {"attempt": 2, "score": 9.0}, 3, 1.0, True),
    ("latest", {"attempt": 3, "score": 9.0}, 2, 10.0, False),     # an older attempt regraded
    ("best", {"attempt": 1, "score": 6.0}, 2, 6.0, False),        # a tie keeps the earlier
    ("best", {"attempt": 1, "score": 6.0}, 2, 6.5, True),
    ("best", {"attempt": 2, "score": 6.0}, 1, 6.0, True),         # the earlier one, regraded
    ("best", {"attempt": 2, "score": 8.0}, 2, 1.0, True),         # itself, recorded again
])
def test_replaces_agrees_with_counted(counts, current, attempt, score, expected):
    policy = Policy(counts=counts)
    assert policy.replaces(current, attempt, score) is expected
    if current is not None and current["attempt"] != attempt:
        rows = [row(current["attempt"], current["score"]), row(attempt, score)]
        assert (policy.counted(rows).number == attempt) is expected


def test_refused_and_the_first_free_errors_spend_no_upload():
    outcomes = ["graded", "refused", "error", "error", "rejected", "error"]
    assert Policy(free_errors=2).uploads_used(outcomes) == [True, False, False, False, True, True]
    assert Policy(free_errors=2).uploads_spent(outcomes) == 3


@pytest.mark.parametrize("late_penalty, hours_late, expected", [
    ("none", 30, 0.0), ("zero", 1, 10.0), ("per_day:0.1", 1, 1.0), ("per_day:0.1", 25, 2.0),
    ("per_day:0.5", 24 * 5, 10.0), ("per_day:0.1", 0, 0.0), ("per_day:0.1", -5, 0.0)])
def test_late_penalty_is_per_started_day_and_at_most_the_whole_score(late_penalty, hours_late,
                                                                      expected):
    policy = Policy(deadline=DEADLINE, late_penalty=late_penalty)
    assert policy.penalty(DEADLINE + timedelta(hours=hours_late), 10.0) == pytest.approx(expected)


def test_no_deadline_no_penalty():
    assert Policy(late_penalty="zero").penalty(DEADLINE, 10.0) == 0.0
