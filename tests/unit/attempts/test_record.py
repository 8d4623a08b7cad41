"""record.grade_attempt: an attempt graded twice (a redelivered job) is recorded once, and
one shown to the student before a worker was lost is recorded when graded again."""
import json

import pytest

from gradekit.commands import export
from gradekit.attempts import artifacts, table as attempts
from gradekit.course.layout import Course
from gradekit.dispatch.local_grader import LocalGrader
from gradekit.reports.grades_csv import rows
from gradekit.attempts.record import grade_attempt
from gradekit.attempts.receive import receive

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
    kept = artifacts.read(reports[0].with_name(reports[0].name.replace(".report.json",
                                                                        artifacts.SUFFIX)))
    assert kept["train_data_1"]["W1"].shape == (2, 3) and len(kept["train_data_1"]["losses"]) > 100



def test_a_worker_lost_after_showing_the_grade_finishes_recording(course_copy, sandbox_mode,
                                                                  monkeypatch, capsys):
    """The grade is shown before the gradebook holds it; a worker lost in between leaves
    an unrecorded attempt that the queues grade again, the student's grade standing."""
    from gradekit.attempts import record
    course = Course(course_copy)
    data = (course_copy / "reference" / "ML06" / "mlp.py").read_bytes()
    receive(course, "ML06", "erin", "mlp.py", data)
    grader = LocalGrader(course, "ML06")

    def lost(*_args, **_kwargs):
        raise SystemExit("worker lost")   # not an Exception: nothing of ours may catch it

    monkeypatch.setattr(record.gradebook, "record", lost)
    with pytest.raises(SystemExit):
        grade_attempt(course, "ML06", "erin", 1, grader=grader)
    monkeypatch.undo()
    row = attempts.get(course, "ML06", "erin", 1)
    assert (row.status, row.score, row.unrecorded) == ("graded", 10.0, True)
    assert row.report_json()["score"] == 10.0                 # what the API answers
    assert [r.key for r in attempts.to_grade(course)] == [row.key]
    assert rows(course, "ML06") == []                         # not in the gradebook yet
    capsys.readouterr()
    export.main(assignment="ML06", course_root=course_copy)   # the instructor is told
    assert "1 graded attempts of ML06 are not in the gradebook yet" in capsys.readouterr().err
    again = grade_attempt(course, "ML06", "erin", 1, grader=grader)
    assert again["json"]["score"] == 10.0
    row = attempts.get(course, "ML06", "erin", 1)
    assert (row.status, row.tries, row.unrecorded) == ("graded", 1, False)  # never "grading"
    assert attempts.to_grade(course) == []
    assert [r["student"] for r in rows(course, "ML06")] == ["erin"]
    export.main(assignment="ML06", course_root=course_copy)
    assert "warning" not in capsys.readouterr().err
    log = (course_copy / "uploads" / "erin" / "ML06" / "attempts.jsonl").read_text()
    assert [json.loads(line)["event"] for line in log.splitlines()] == ["received", "graded"]


def test_a_later_attempt_shown_meanwhile_keeps_the_gradebook(course_copy, sandbox_mode):
    """Attempt 1 is published, attempt 2 is published and written to the books, then attempt 1
    is written: the gradebook must hold attempt 2 (the counted one), not the last one written."""
    from dataclasses import replace

    from gradekit.attempts.record import publish, record, write_books
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")
    course = Course(course_copy)
    data = (course_copy / "reference" / "ML06" / "mlp.py").read_bytes()
    receive(course, "ML06", "finn", "mlp.py", data)
    receive(course, "ML06", "finn", "mlp.py", data)
    full = LocalGrader(course, "ML06").grade("mlp.py", data)
    partial = replace(full, score=4.0, tests=[replace(t, score=0.0) if i < 6 else t
                                              for i, t in enumerate(full.tests)])
    first, second = (attempts.get(course, "ML06", "finn", n) for n in (1, 2))
    published_first = publish(course, first, full)
    record(course, second, partial, None, timing={"began": 0.0})
    write_books(course, first, full, None, published_first, timing={})
    assert [(r["student"], r["score"]) for r in rows(course, "ML06")] == [
        ("finn", pytest.approx(sum(t.score for t in partial.tests)))]
    assert sum(t.score for t in partial.tests) < 10.0   # the two attempts are told apart
