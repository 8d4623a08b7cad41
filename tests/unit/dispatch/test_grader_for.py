"""The grading seam: grader_for picks the transport, nothing else does.

A fake warm server on the assignment's socket stands in for `gradekit serve` here (the real
one is tested in test_warm.py): it records the jobs it gets and answers as told.
"""
import ast
import base64
import json
import socketserver
import subprocess
import sys
import threading

import numpy as np
import pytest

from gradekit.course.layout import Course
from gradekit.dispatch import grader_for, jobs
from gradekit.dispatch import local_grader, warm_client
from gradekit.grading import results, run

HEAVY = {"numpy", "pytest", "nbformat", "sklearn", "nbgrader", "matplotlib", "tqdm", "scipy"}


@pytest.fixture
def course(tmp_path):
    """The least a course needs for the seam: graders/ML06/pytest.ini."""
    (tmp_path / "c" / "graders" / "ML06").mkdir(parents=True)
    (tmp_path / "c" / "graders" / "ML06" / "pytest.ini").write_text("[pytest]\n")
    return Course(tmp_path / "c")


class FakeServer:
    """Answers each JSON line with answer(request); `requests` keeps what came in."""

    def __init__(self, course, answer):
        self.requests, self.answer = [], answer
        path = warm_client.socket_path(course, "ML06")
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                line = self.rfile.readline()
                if line.strip():
                    fake.requests.append(json.loads(line))
                    self.wfile.write(json.dumps(fake.answer(fake.requests[-1])).encode() + b"\n")

        self.server = socketserver.ThreadingUnixStreamServer(str(path), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve(course):
    started = []

    def start(answer):
        started.append(FakeServer(course, answer))
        return started[-1]
    yield start
    for server in started:
        server.close()


class Fallback:
    """A stand-in for the local transport that records what it was asked to grade."""

    transport = "local"

    def __init__(self):
        self.calls = []

    def grade(self, filename, data, *, loaded=None, **identity):
        self.calls.append(("grade", filename, identity))
        return results.GradingResult("ML06", "graded", score=1.0, sandbox="local")

    def grade_many(self, paths, jobs=None):
        self.calls.append(("grade_many", [p.name for p in paths]))
        for index, _ in enumerate(paths):
            yield index, results.GradingResult("ML06", "graded", sandbox="local")

    def upload(self, student, filename, data, *, grader=None):
        self.calls.append(("upload", student, grader.transport))
        return {"code": 0, "json": {}, "text": "done here"}


def graded_result():
    test = results.TestResult("test_x::test_y", 0.5, 1.0, "failed", "hidden", "why", "test_x")
    return results.GradingResult("ML06", "graded", score=0.5, max_score=1.0, tests=[test],
                                 submission={"filename": "a.py", "sha256": "ab" * 32},
                                 sandbox="bubblewrap", duration_s=1.5,
                                 artifacts={"train": {"W1": np.arange(6.0).reshape(2, 3),
                                                      "losses": [0.5, 0.25], "seed": 0}})


def test_local_when_no_server_answers(course):
    assert not warm_client.is_running(course.root, "ML06")
    assert grader_for(course, "ML06").transport == "local"


def test_jobs_and_results_cross_as_plain_json():
    job = jobs.GradeJob("ML06", "a.py", b"\x00bytes", student="ann", attempt=3,
                        archive="uploads/ann/ML06/x.py")
    wire = json.loads(json.dumps(jobs.job_to_wire(job)))
    assert wire["op"] == "grade" and base64.b64decode(wire["data"]) == b"\x00bytes"
    assert jobs.job_from_wire(wire) == job
    upload = jobs.UploadJob("ML06", "ann", "a.py", b"x")
    assert jobs.job_from_wire(json.loads(json.dumps(jobs.job_to_wire(upload)))) == upload
    result = graded_result()
    back = jobs.from_wire(json.loads(json.dumps(jobs.to_wire(result))))
    assert back.to_json() == result.to_json() and back.tests == result.tests
    assert np.array_equal(back.artifacts["train"]["W1"], result.artifacts["train"]["W1"])
    assert back.artifacts["train"]["losses"] == [0.5, 0.25]


def test_warm_grades_through_the_server_and_falls_back_when_it_fails(course, serve):
    server = serve(lambda request: {"result": jobs.to_wire(graded_result())})
    fallback = Fallback()
    grader = warm_client.connect(course, "ML06", fallback)
    assert grader.transport == "warm" and grader_for(course, "ML06").transport == "warm"
    got = grader.grade("a.py", b"code", student="ann", attempt=2, archive="uploads/x.py")
    assert got.to_json() == graded_result().to_json() and not fallback.calls
    sent = server.requests[-1]
    assert sent["op"] == "grade" and sent["assignment"] == "ML06" and sent["attempt"] == 2
    server.answer = lambda request: {"error": "RuntimeError: grader failed"}
    assert grader.grade("a.py", b"code", attempt=2).sandbox == "local"
    assert fallback.calls == [("grade", "a.py", {"attempt": 2})]


def test_warm_batch_sends_every_file_and_grades_failures_locally(course, serve, tmp_path):
    paths = [tmp_path / f"s{i}.py" for i in range(4)]
    for path in paths:
        path.write_text(f"# {path.name}\n")
    serve(lambda request: {"error": "no"} if request["filename"] == "s2.py"
          else {"result": jobs.to_wire(graded_result())})
    fallback = Fallback()
    got = dict(warm_client.WarmGrader(course, "ML06", fallback).grade_many(paths, jobs=2))
    assert sorted(got) == [0, 1, 2, 3] and got[2].sandbox == "local"
    assert {got[i].sandbox for i in (0, 1, 3)} == {"bubblewrap"}
    assert fallback.calls == [("grade_many", ["s2.py"])]


def test_failed_warm_upload_is_done_locally_grading_through_the_server(course, serve):
    serve(lambda request: {"result": {"code": 0}})   # a server of another version
    fallback = Fallback()
    outcome = warm_client.WarmGrader(course, "ML06", fallback).upload("ann", "a.py", b"x")
    assert outcome["text"] == "done here" and fallback.calls == [("upload", "ann", "warm")]


def test_warm_upload_client_imports_only_the_standard_library(course, serve):
    outcome = {"code": 0, "json": {"status": "graded", "score": 1.0}, "text": "BRUTE report"}
    server = serve(lambda request: {"result": outcome})
    (course.root / "sub.py").write_bytes(b"def sigmoid(a):\n    return a\n")
    probe = ("import sys\nfrom gradekit.cli import main\n"
             "code = main(['upload', 'ML06', 'sub.py', '--student', 'ann'])\n"
             "print(sorted({m.split('.')[0] for m in sys.modules}), code, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=course.root, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout == "BRUTE report\n", done.stderr
    loaded, code = done.stderr.strip().rsplit(" ", 1)
    assert code == "0" and not HEAVY & set(ast.literal_eval(loaded)), loaded
    sent = server.requests[-1]
    assert {k: sent[k] for k in ("op", "assignment", "student", "filename")} == {
        "op": "upload", "assignment": "ML06", "student": "ann", "filename": "sub.py"}
    assert base64.b64decode(sent["data"]) == (course.root / "sub.py").read_bytes()


def test_a_job_is_executed_locally_into_plain_json(course, monkeypatch):
    seen = []

    def grade_bytes(course, assignment, filename, data, **options):
        seen.append((assignment, filename, data, options))
        return graded_result()
    monkeypatch.setattr(run, "grade_bytes", grade_bytes)
    job = jobs.GradeJob("ML06", "a.py", b"code", student="ann", attempt=1)
    answer = local_grader.run_job(course, job, starter="zygote")
    assert json.loads(json.dumps(answer)) == answer
    assert jobs.from_wire(answer).to_json() == graded_result().to_json()
    assert seen == [("ML06", "a.py", b"code", {"starter": "zygote"})]
