"""record.grade_attempt: an attempt graded twice (a redelivered job) is recorded once."""
import json

import pytest

from gradekit import attempts
from gradekit.course import Course
from gradekit.dispatch.local import LocalGrader
from gradekit.export import rows
from gradekit.record import grade_attempt
from gradekit.upload import receive

pytestmark = pytest.mark.slow


def test_a_redelivered_attempt_is_recorded_once(course_copy, sandbox_mode):
    course = Course(course_copy)
    data = (course_copy / "reference" / "ML06" / "mlp.py").read_bytes()
    received = receive(course, "ML06", "dora", "mlp.py", data)
    assert received.outcome is None
    assert attempts.get(course, "ML06", "dora", 1).status == "queued"
    grader = LocalGrader(course, "ML06")
    first = grade_attempt(course, "ML06", "dora", 1, grader=grader)
    # the worker died after recording, before acknowledging: the job comes again while the
    # row still says grading (the last step did not happen), and is graded again
    attempts.set_status(course, ("ML06", "dora", 1), "grading")
    second = grade_attempt(course, "ML06", "dora", 1, grader=grader)
    # delivered once more after all that: answered from the database, nothing graded
    third = grade_attempt(course, "ML06", "dora", 1, grader=grader)
    assert first["json"]["score"] == second["json"]["score"] == third["json"]["score"] == 10.0
    assert first["json"]["sandbox"].startswith(sandbox_mode)
    log = (course_copy / "uploads" / "dora" / "ML06" / "attempts.jsonl").read_text()
    assert [json.loads(line)["event"] for line in log.splitlines()] == ["received", "graded"]
    assert [r["student"] for r in rows(course, "ML06")] == ["dora"]
    row = attempts.get(course, "ML06", "dora", 1)
    assert (row.status, row.tries, row.score) == ("graded", 2, 10.0)
    reports = list((course_copy / "uploads" / "dora" / "ML06").glob("*.report.json"))
    assert len(reports) == 1 and json.loads(reports[0].read_text())["score"] == 10.0

