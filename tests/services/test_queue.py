"""Grading on Celery workers through a real Redis broker, the course database in a real
PostgreSQL: the fault tests.  Each scenario runs once; uploads are the reference
(10/10, seconds of training) or the release stub (0/10, graded in a fraction of a second)."""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from gradekit.attempts import table as attempts, gradebook
from gradekit.course.layout import Course
from gradekit.dispatch import queue_for
from gradekit.dispatch.broker_grader import wait_final
from gradekit.dispatch.jobs import AttemptJob
from gradekit.attempts.receive import receive

pytestmark = [pytest.mark.services, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference" / "ML06" / "mlp.py"
STUB = REPO / "release" / "ML06" / "ML06.ipynb"


def write_config(root, broker, max_uploads=0, **queue):
    """gradekit.toml: no upload limits (unless asked), the broker, a quick sweeper."""
    settings = {"sweep_s": 1, "grace_s": 2, "time_limit_s": 60, "wait_s": 300, **queue}
    (root / "gradekit.toml").write_text(
        f"[ML06]\nmax_uploads = {max_uploads}\nmin_interval_s = 0\n\n[queue]\n"
        f'broker = "{broker}"\n' + "".join(f"{k} = {v}\n" for k, v in settings.items()))


@pytest.fixture
def setup(course_copy, redis_server, postgres_server, monkeypatch, tmp_path):
    """A course copy whose broker is a real Redis and whose database a real PostgreSQL."""
    monkeypatch.setenv("GRADEKIT_DATABASE", postgres_server.database())
    write_config(course_copy, redis_server.url)
    course = Course(course_copy)
    return SimpleNamespace(root=course_copy, course=course, redis=redis_server,
                           queue=queue_for(course), logs=tmp_path)


@contextlib.contextmanager
def workers(setup, count=1, concurrency=1, python=sys.executable, env=None):
    """`gradekit worker` processes (their logs in setup.logs), stopped afterwards."""
    started = []
    for number in range(count):
        log = setup.logs / f"worker-{len(list(setup.logs.glob('worker-*')))}.log"
        with open(log, "w") as handle:
            started.append((subprocess.Popen(
                [str(python), "-m", "gradekit.cli", "worker", "--concurrency", str(concurrency)],
                cwd=setup.root, stdout=handle, stderr=subprocess.STDOUT, env=env,
                start_new_session=True), log))
    try:
        yield [log for _, log in started]
    finally:
        for process, _ in started:
            process.terminate()   # warm shutdown: running jobs finish first
        for process, log in started:
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def queue_upload(setup, student, path):
    """What the web service does: receive the upload, publish its job, answer at once."""
    received = receive(setup.course, "ML06", student, path.name, path.read_bytes())
    assert received.outcome is None, received.outcome
    assert setup.queue.submit(AttemptJob("ML06", student, received.number))
    return received.number


def wait_line(logs, text, patience_s=300):
    """The first line holding `text` in any of the worker logs."""
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        for log in logs:
            for line in log.read_text().splitlines():
                if text in line:
                    return line
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} in the worker logs:\n" +
                         "\n".join(log.read_text()[-3000:] for log in logs))


def wait_all_final(setup, students, patience_s=600):
    rows = [wait_final(setup.course, ("ML06", s, 1), patience_s) for s in students]
    assert None not in rows, [attempts.get(setup.course, "ML06", s, 1) for s in students]
    return rows


def events(setup, student):
    log = setup.root / "uploads" / student / "ML06" / "attempts.jsonl"
    return [json.loads(line)["event"] for line in log.read_text().splitlines()]


def assert_graded_once(setup, students):
    """One "graded" event, one report, one gradebook submission per student's attempt."""
    for student in students:
        assert events(setup, student) == ["received", "graded"], student
        folder = setup.root / "uploads" / student / "ML06"
        assert len(list(folder.glob("*.report.json"))) == 1, student
        assert attempts.get(setup.course, "ML06", student, 1).status == "graded"
    assert sorted(gradebook.scores(setup.course, "ML06")) == sorted(students)


def test_worker_killed_mid_grading_is_graded_once_by_another(setup):
    """SIGKILL of the worker process that grades: Celery hands the job to another process
    (acks_late + reject_on_worker_lost) and the records show one grading."""
    with workers(setup, count=2) as logs:
        queue_upload(setup, "alice", REFERENCE)
        line = wait_line(logs, "grading ML06/alice attempt 1 (try 1) in worker process")
        victim = int(line.rsplit(" ", 1)[1])
        time.sleep(1.5)   # into the student's training
        assert attempts.get(setup.course, "ML06", "alice", 1).status == "grading"
        os.kill(victim, signal.SIGKILL)
        (row,) = wait_all_final(setup, ["alice"])
        again = wait_line(logs, "grading ML06/alice attempt 1 (try 2) in worker process")
    assert int(again.rsplit(" ", 1)[1]) != victim
    assert row.status == "graded" and row.score == 10.0 and row.tries == 2
    assert_graded_once(setup, ["alice"])
    assert gradebook.scores(setup.course, "ML06")["alice"][0] == 10.0


def test_grading_host_killed_whole_is_graded_by_another_within_90_s(setup):
    """SIGKILL of a whole `gradekit worker` (its process group) mid-grading, with the
    default lease, sweep and grace: no Celery parent is left to hand the job out again, the
    grading's lease stops being renewed and lapses, the other host's sweeper publishes the
    attempt again, and it is graded there, once, within 90 s of the kill."""
    write_config(setup.root, setup.redis.url, sweep_s=10, grace_s=15)
    with workers(setup, count=2) as logs:
        for log in logs:
            wait_line([log], "ready.")
        queue_upload(setup, "alice", REFERENCE)
        line = wait_line(logs, "grading ML06/alice attempt 1 (try 1) in worker process")
        victim = int(line.rsplit(" ", 1)[1])
        time.sleep(1.5)   # into the student's training
        assert attempts.get(setup.course, "ML06", "alice", 1).status == "grading"
        os.killpg(os.getpgid(victim), signal.SIGKILL)
        killed = time.monotonic()
        (row,) = wait_all_final(setup, ["alice"], patience_s=90)
        took = time.monotonic() - killed
        again = wait_line(logs, "grading ML06/alice attempt 1 (try 2) in worker process")
    assert took < 90, f"graded {took:.0f} s after the kill"
    assert int(again.rsplit(" ", 1)[1]) != victim
    assert row.status == "graded" and row.score == 10.0 and row.tries == 2
    assert_graded_once(setup, ["alice"])


def test_broker_restart_with_twenty_jobs_queued(setup, monkeypatch):
    """Redis restarted while a worker grades the first of 20 jobs and 19 wait: all 20 are
    graded, none twice.  (The fallback sandbox here: the other tests use bubblewrap where
    it is installed.)"""
    monkeypatch.setenv("GRADEKIT_SANDBOX", "fallback")
    students = [f"s{i:02d}" for i in range(20)]
    with workers(setup, concurrency=1) as logs:
        wait_line(logs, "ready.")
        for i, student in enumerate(students):
            queue_upload(setup, student, REFERENCE if i < 2 else STUB)
        wait_line(logs, "grading ML06/s00 attempt 1")
        setup.redis.restart()
        rows = wait_all_final(setup, students)
    assert [row.status for row in rows] == ["graded"] * 20
    assert [row.score for row in rows] == [10.0, 10.0] + [0.0] * 18
    assert_graded_once(setup, students)


def services_found(setup, capsys):
    """What `gradekit doctor` says of the course database and the job queue."""
    from gradekit.diagnostics.course import check_services
    from gradekit.diagnostics.findings import Findings
    capsys.readouterr()
    check_services(Findings(), setup.root)
    return capsys.readouterr().out


def test_uploads_while_no_worker_runs_or_the_broker_is_down(setup, capsys):
    """`gradekit upload` with no worker: archived, logged, queued (exit 3, one line); with
    the broker down too; a worker started later grades both, each once."""
    write_config(setup.root, setup.redis.url, wait_s=1)
    found = services_found(setup, capsys)
    assert "ok    database: postgresql+psycopg://gradekit@127.0.0.1" in found
    assert "answers, no gradekit worker does" in found
    upload = [sys.executable, "-m", "gradekit.cli", "upload", "ML06", str(REFERENCE),
              "--student"]
    first = subprocess.run(upload + ["ann"], cwd=setup.root, capture_output=True, text=True)
    assert first.returncode == 3, first.stderr
    assert first.stderr.startswith("gradekit: no worker graded attempt 1 within 1 s: it stays "
                                   "queued") and len(first.stderr.splitlines()) == 1
    setup.redis.stop()
    second = subprocess.run(upload + ["ben"], cwd=setup.root, capture_output=True, text=True,
                            timeout=120)
    assert second.returncode == 3, second.stderr
    assert "is not reachable: attempt 1 is archived and queued" in second.stderr
    assert "Traceback" not in second.stderr
    for student in ("ann", "ben"):
        assert events(setup, student) == ["received"]
        assert attempts.get(setup.course, "ML06", student, 1).status == "queued"
        archived = list((setup.root / "uploads" / student / "ML06").glob("*.py"))
        assert [p.read_bytes() for p in archived] == [REFERENCE.read_bytes()]
    assert "FAIL  job queue: redis://127.0.0.1" in services_found(setup, capsys)
    setup.redis.start()
    with workers(setup, concurrency=2):   # its sweeper publishes ben's lost job
        rows = wait_all_final(setup, ["ann", "ben"])
    assert [row.score for row in rows] == [10.0, 10.0]
    assert_graded_once(setup, ["ann", "ben"])


def test_sandbox_that_cannot_start_is_retried_then_error_and_costs_no_upload(
        setup, layered_env):
    """A worker whose environment lacks sklearn: the job is tried MAX_TRIES times with
    backoff, then the attempt is "error" (logged for the instructor, no score), and the
    student's next upload is not refused by the limit of one upload."""
    write_config(setup.root, setup.redis.url, max_uploads=1)
    broken = "raise ModuleNotFoundError(\"No module named 'sklearn' (removed)\", name='sklearn')\n"
    python = layered_env({"sklearn": broken})
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with workers(setup, python=python, env=env) as logs:
        queue_upload(setup, "dora", REFERENCE)
        (row,) = wait_all_final(setup, ["dora"], patience_s=300)
        wait_line(logs, "failed for the last time")
    assert row.status == "error" and row.tries == 3 and row.score is None
    assert "sandbox cannot import sklearn" in row.reason
    assert events(setup, "dora") == ["received", "error"]
    assert "dora" not in gradebook.scores(setup.course, "ML06")
    again = receive(setup.course, "ML06", "dora", STUB.name, STUB.read_bytes())
    assert again.outcome is None and again.number == 2   # not refused: no upload used up


@contextlib.contextmanager
def web_service(setup):
    """`gradekit web` on a free loopback port (its queue: the course's broker)."""
    import httpx
    from tests.servers import free_port, wait_for
    port = free_port()
    with open(setup.logs / "web.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "gradekit.cli", "web", "--port",
                                    str(port)], cwd=setup.root, stdout=log, stderr=log)

    def answers():
        assert process.poll() is None, (setup.logs / "web.log").read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        wait_for(answers, "gradekit web", patience_s=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_fifty_uploads_through_the_web_api_on_two_workers(setup, tmp_path):
    """50 students upload through the web API at once; two workers grade: every attempt
    recorded once, each score equal to `gradekit grade` of the same file."""
    import httpx
    from gradekit.grading.library import read_example
    from gradekit.attempts.users import add_user
    mutants = [read_example(REPO / "graders" / "ML06" / "mutants" / name, "mutants")
               .write_to(tmp_path / "samples" / name) for name in
               ("grad_sum_not_mean.py", "forward_no_bias.py")]
    files = [REFERENCE, *mutants] * 6 + [STUB] * 32
    students = [f"u{i:02d}" for i in range(len(files))]
    tokens = {student: add_user(setup.course, student) for student in students}
    with web_service(setup) as url, workers(setup, count=2), httpx.Client(timeout=60) as http:
        for student, path in zip(students, files):
            answer = http.post(f"{url}/api/assignments/ML06/attempts",
                               headers={"Authorization": f"Bearer {tokens[student]}"},
                               files={"file": (path.name, path.read_bytes())})
            assert answer.status_code == 202, answer.text
            assert answer.json()["attempt"] == 1 and answer.json()["status"] == "queued"
        wait_all_final(setup, students)
        shown = {student: http.get(f"{url}/api/assignments/ML06/attempts/1", headers={
            "Authorization": f"Bearer {tokens[student]}"}).json() for student in students}
        # `gradekit grade` here goes to the workers too (one answers), autograde as well
        via_workers = subprocess.run([sys.executable, "-m", "gradekit.cli", "grade", "ML06",
                                      str(REFERENCE), "--json"], cwd=setup.root,
                                     capture_output=True, text=True, timeout=300)
        autograded = subprocess.run([sys.executable, "-m", "gradekit.cli", "autograde", "ML06",
                                     "--student", "u01"], cwd=setup.root, capture_output=True,
                                    text=True, timeout=300)
    assert via_workers.returncode == 0 and json.loads(via_workers.stdout)["score"] == 10.0
    assert autograded.returncode == 0, autograded.stderr
    expected = {}
    for path in {*files}:   # graded here, without the queue (the repository has no broker)
        done = subprocess.run([sys.executable, "-m", "gradekit.cli", "grade", "ML06", str(path),
                               "--json"], cwd=REPO, capture_output=True, text=True, timeout=300,
                              env={k: v for k, v in os.environ.items()
                                   if k not in ("GRADEKIT_DATABASE", "GRADEKIT_BROKER")})
        expected[path] = json.loads(done.stdout)["score"]
    assert expected[REFERENCE] == 10.0 and expected[STUB] == 0.0
    assert len(set(expected.values())) == 4
    for student, path in zip(students, files):
        assert shown[student]["status"] == "graded", shown[student]
        assert shown[student]["score"] == expected[path], (student, path)
    assert_graded_once(setup, students)
    recorded = gradebook.scores(setup.course, "ML06")
    assert {s: recorded[s][0] for s in students} == {
        s: expected[p] for s, p in zip(students, files)}


OPEN_THE_DATABASE = (
    "import sys; from gradekit.course.layout import Course;"
    "from gradekit.attempts import gradebook; from gradekit.attempts.database import engine_for;"
    "c = Course(sys.argv[1]);"
    "engine_for(c); gradebook.open_gradebook(c).close()")


def open_at_once(course_copy, url, processes=6):
    """`processes` processes opening the course database at the same moment."""
    env = dict(os.environ, GRADEKIT_DATABASE=url)
    runs = [subprocess.Popen([sys.executable, "-c", OPEN_THE_DATABASE, str(course_copy)],
                             env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(processes)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * processes, errors


def test_hosts_starting_at_once_create_the_shared_schema_once(course_copy, postgres_server):
    """Six processes open a new PostgreSQL course database at the same moment (the web
    service and workers of several hosts starting): no catalog race, one schema, nbgrader's
    gradebook stamped with its alembic version.  Then a column our tables gained since
    (as in a course created by an earlier gradekit) is added once by hosts starting again."""
    url = postgres_server.database()
    open_at_once(course_copy, url)
    import sqlalchemy
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as db:
        db.execute(sqlalchemy.text("ALTER TABLE gk_attempts DROP COLUMN recorded"))
    open_at_once(course_copy, url)
    with engine.connect() as db:
        columns = [c["name"] for c in sqlalchemy.inspect(db).get_columns("gk_attempts")]
    assert columns.count("recorded") == 1
    with engine.connect() as db:
        tables = set(sqlalchemy.inspect(db).get_table_names())
        stamped = db.execute(sqlalchemy.text("SELECT count(*) FROM alembic_version")).scalar()
    engine.dispose()
    assert {"gk_attempts", "gk_users", "student", "submitted_assignment"} <= tables
    assert stamped == 1
