"""gradekit upload / autograde / export on a private copy of the course."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from gradekit.attempts import gradebook
from gradekit.course.layout import Course
from gradekit.grading.library import read_example
from tests.helpers import gradekit

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference" / "ML06" / "mlp.py"
MUTANT = read_example(REPO / "graders" / "ML06" / "mutants" / "grad_sum_not_mean.py",
                      "mutants")


@pytest.fixture
def mutant(tmp_path):
    """The library mutant as a student would upload it: its base plus its override."""
    return MUTANT.write_to(tmp_path / "samples")


def no_policy_limits(course):
    (course / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")


def attempts(course, student):
    log = course / "uploads" / student / "ML06" / "attempts.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.slow
@pytest.mark.smoke
def test_upload_end_to_end(course_copy):
    done = gradekit(course_copy, "upload", "ML06", REFERENCE, "--student", "alice", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "graded" and report["score"] == report["max_score"] == 10.0
    archive = course_copy / report["upload"]["archive"]
    assert archive.read_bytes() == REFERENCE.read_bytes()
    assert report["upload"]["attempt"] == 1 and report["upload"]["counts"] is True
    events = [entry["event"] for entry in attempts(course_copy, "alice")]
    assert events == ["received", "graded"]
    stem = str(archive.with_suffix(""))
    assert json.loads(Path(stem + ".report.json").read_text())["score"] == 10.0
    gradescope = json.loads(Path(stem + ".results.json").read_text())
    assert gradescope["score"] == 10.0 and len(gradescope["tests"]) == len(report["tests"])
    assert "data:image/png;base64," in Path(stem + ".html").read_text()
    placed = nbformat.read(course_copy / "submitted" / "alice" / "ML06" / "ML06.ipynb", 4)
    assert any(c.metadata.get("nbgrader", {}).get("grade_id") == "test_gradients"
               for c in placed.cells)
    assert gradebook.scores(Course(course_copy), "ML06")["alice"][0] == 10.0
    assert gradekit(course_copy, "export", "ML06").returncode == 0
    assert "alice,10.0" in (course_copy / "grades-ML06.csv").read_text()


@pytest.mark.slow
def test_policy_refuses_but_archives(course_copy, mutant):
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 1\nmin_interval_s = 0\n")
    assert gradekit(course_copy, "upload", "ML06", REFERENCE, "--student", "bob").returncode == 0
    refused = gradekit(course_copy, "upload", "ML06", mutant, "--student", "bob")
    assert refused.returncode == 4 and "limit of 1 uploads" in refused.stderr
    assert [e["event"] for e in attempts(course_copy, "bob")] == [
        "received", "graded", "received", "refused"]
    archived = sorted((course_copy / "uploads" / "bob" / "ML06").glob("*.py"))
    assert [p.read_bytes() for p in archived] == [REFERENCE.read_bytes(), mutant.read_bytes()]
    assert gradebook.scores(Course(course_copy), "ML06")["bob"][0] == 10.0


@pytest.mark.slow
def test_twenty_simultaneous_uploads(course_copy, mutant):
    no_policy_limits(course_copy)
    runs = [subprocess.Popen(
        [sys.executable, "-m", "gradekit.cli", "upload", "ML06",
         str(REFERENCE if i % 2 else mutant), "--student", f"s{i % 10}", "--json"],
        cwd=course_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(20)]
    outputs = [run.communicate(timeout=900) for run in runs]
    assert [run.returncode for run in runs] == [0] * 20, \
        [err for run, (_, err) in zip(runs, outputs) if run.returncode][:3]
    for student in (f"s{i}" for i in range(10)):
        events = [e["event"] for e in attempts(course_copy, student)]
        assert events.count("received") == 2 and events.count("graded") == 2
        assert len(list((course_copy / "uploads" / student / "ML06").glob("*.py"))) == 2
    recorded = gradebook.scores(Course(course_copy), "ML06")
    assert sorted(recorded) == sorted(f"s{i}" for i in range(10))
    reported = {}   # both attempts of s{i} upload the same file: one score per student
    for i, (stdout, _) in enumerate(outputs):
        reported.setdefault(f"s{i % 10}", set()).add(json.loads(stdout)["score"])
    for student, scores in reported.items():
        assert len(scores) == 1 and recorded[student][0] == scores.pop()
    assert recorded["s1"][0] == 10.0 > recorded["s0"][0]   # reference full, mutant not


@pytest.mark.slow
def test_killed_grading_keeps_the_upload_and_can_be_redone(course_copy):
    no_policy_limits(course_copy)
    run = subprocess.Popen([sys.executable, "-m", "gradekit.cli", "upload", "ML06",
                            str(REFERENCE), "--student", "carol"], cwd=course_copy,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    log = course_copy / "uploads" / "carol" / "ML06" / "attempts.jsonl"
    deadline = time.monotonic() + 60
    while not (log.exists() and "received" in log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)                     # well into grading
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    events = [e["event"] for e in attempts(course_copy, "carol")]
    assert events == ["received"]       # killed before it could finish
    archived = list((course_copy / "uploads" / "carol" / "ML06").glob("*.py"))
    assert [p.read_bytes() for p in archived] == [REFERENCE.read_bytes()]
    redo = gradekit(course_copy, "autograde", "ML06", "--student", "carol")
    assert redo.returncode == 0, redo.stderr
    assert gradebook.scores(Course(course_copy), "ML06")["carol"][0] == 10.0


def test_our_failure_while_receiving_charges_no_upload(course_copy, monkeypatch):
    """The database fails after the upload is archived and logged: the bytes stay, the log
    says "error", and the student's one allowed upload is still theirs."""
    from gradekit.attempts import table as attempt_rows
    from gradekit.attempts.receive import receive
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 1\nmin_interval_s = 0\n")
    course, data = Course(course_copy), REFERENCE.read_bytes()

    def database_down(*_args, **_kwargs):
        raise ConnectionError("the database is down")

    monkeypatch.setattr(attempt_rows, "add", database_down)
    with pytest.raises(ConnectionError):
        receive(course, "ML06", "dora", "mlp.py", data)
    monkeypatch.undo()
    log = attempts(course_copy, "dora")
    assert [r["event"] for r in log] == ["received", "error"]
    assert "the database is down" in log[1]["reason"]
    assert (course_copy / "uploads" / "dora" / "ML06" / log[0]["archive"]).read_bytes() == data
    again = receive(course, "ML06", "dora", "mlp.py", data)
    assert again.outcome is None and again.number == 2   # accepted, not refused


@pytest.mark.slow
def test_late_uploads_carry_the_penalty_and_best_keeps_the_better_attempt(course_copy, mutant):
    from datetime import datetime, timedelta, timezone
    deadline = (datetime.now(timezone.utc) - timedelta(hours=1)).replace(microsecond=0)
    (course_copy / "gradekit.toml").write_text(
        f'[ML06]\ndeadline = {deadline.isoformat()}\nlate_penalty = "per_day:0.1"\n'
        'counts = "best"\nmax_uploads = 0\nmin_interval_s = 0\n')
    first = gradekit(course_copy, "upload", "ML06", REFERENCE, "--student", "carol")
    assert first.returncode == 0, first.stderr
    assert "\n  late: 1.00 points off" in first.stdout        # one started day: 10 % of 10
    second = gradekit(course_copy, "upload", "ML06", mutant, "--student", "carol", "--json")
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["score"] < 10.0
    assert report["upload"]["late_penalty"] == 1.0 and report["upload"]["counts"] is False
    folder = course_copy / "uploads" / "carol" / "ML06"
    assert json.loads((folder / "counted.json").read_text()) == {"attempt": 1, "score": 9.0}
    with gradebook.open_gradebook(Course(course_copy)) as book:   # the reference's, late
        kept = book.find_submission("ML06", "carol")
        assert (kept.score, kept.late_submission_penalty) == (10.0, 1.0)
