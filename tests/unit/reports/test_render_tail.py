"""The lines `gradekit upload` prints under a recorded attempt's report (reports.render)."""
from pathlib import PurePosixPath

from gradekit.reports.render import attempt_tail


def test_tail_names_attempt_and_archive_only_when_on_time_and_undrawn():
    assert attempt_tail(3, "uploads/s1/ML06/3.ipynb") == \
        "\n\n  attempt 3, archived as uploads/s1/ML06/3.ipynb"
    assert attempt_tail(3, "a.ipynb", 0.0, None) == attempt_tail(3, "a.ipynb")


def test_tail_adds_late_penalty_then_feedback_page():
    assert attempt_tail(2, "a.ipynb", 1.5, PurePosixPath("uploads/s1/ML06/2.html")) == (
        "\n\n  attempt 2, archived as a.ipynb\n  late: 1.50 points off"
        "\n  feedback page: uploads/s1/ML06/2.html")
