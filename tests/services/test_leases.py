"""Heartbeat leases (gradekit/dispatch/leases.py) on a real Redis: who may grade an attempt,
how a live grading keeps it and how a dead one loses it; the embedded queue regrading a
killed worker's attempt at once (a whole Celery host killed: test_queue.py); doctor and the
instructor dashboard showing the attempts in flight."""
import time

import pytest

from gradekit.course.config import QueueSettings
from gradekit.dispatch.leases import Leases

KEY = ("ML06", "alice", 1)


@pytest.fixture
def leases(redis_server):
    return Leases(QueueSettings(broker=redis_server.url, lease_s=4.0))


@pytest.mark.services
def test_one_grading_holds_a_lease_its_own_redelivery_takes_it_over(leases):
    """A job's lease keeps another job out; the same job delivered again (its earlier
    delivery no longer runs) takes it; release deletes only the holder's own lease."""
    assert leases.queued(KEY)
    first = leases.take(KEY, "job-1")   # "queued": the job starts
    assert first is not None and leases.held([KEY]) == [first.token]
    assert leases.take(KEY, "job-2") is None   # the sweeper's duplicate: dropped
    assert not leases.queued(KEY)   # nor may a publisher overwrite it
    again = leases.take(KEY, "job-1")   # Celery hands job-1 out again: its process died
    assert again is not None and again.token != first.token
    first.release()   # the old delivery's token no longer holds it: nothing deleted
    assert leases.held([KEY]) == [again.token]
    leases.release(KEY)   # a finished attempt's "queued" claim only
    assert leases.held([KEY]) == [again.token]
    again.release()
    assert leases.held([KEY]) == [None]


@pytest.mark.services
def test_a_live_grading_keeps_its_lease_a_dead_one_loses_it(leases):
    """Renewed every lease_s / 4 while `with lease:` runs, far past lease_s; once renewals
    stop (the process died) it lapses within lease_s and the sweeper may claim it."""
    lease = leases.take(KEY, "job-1")
    with lease:
        time.sleep(1.5 * leases.settings.lease_s)
        assert leases.held([KEY]) == [lease.token]
        assert leases.claim_missing([KEY]) == [False]
    lapsed_by = time.monotonic() + leases.settings.lease_s + 0.5
    while leases.held([KEY]) != [None]:
        assert time.monotonic() < lapsed_by, "the lease outlived its heartbeat"
        time.sleep(0.1)
    assert leases.claim_missing([KEY]) == [True]


@pytest.mark.services
def test_a_stalled_grading_does_not_take_back_a_lease_another_grading_holds(leases):
    """A grading whose renewals stalled past lease_s while another job took the attempt
    stops renewing (it finishes; record.py records once) and never deletes the other's."""
    stalled = leases.take(KEY, "job-1")
    leases.redis.delete(leases.key(KEY))   # lapsed while its worker stalled
    assert leases.claim_missing([KEY]) == [True]   # the sweeper publishes job-2 ...
    assert stalled.renew()   # ... but job-1 resumes first: job-2 will find it held
    leases.redis.delete(leases.key(KEY))
    second = leases.take(KEY, "job-2")   # this time job-2 starts first
    assert second is not None and not stalled.renew()
    stalled.release()
    assert leases.held([KEY]) == [second.token]


@pytest.mark.services
def test_the_sweeper_puts_a_lost_attempt_ahead_of_the_waiting_jobs(course_copy, redis_server):
    """A lost attempt (its host died, or the broker was away) has waited once already: the
    job the sweeper publishes again is handed out before the burst that waits in the queue."""
    from gradekit.course.layout import Course
    from gradekit.dispatch.broker import BrokerQueue
    from gradekit.dispatch.jobs import AttemptJob
    from gradekit.attempts.receive import receive
    (course_copy / "gradekit.toml").write_text(
        f'[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n\n[queue]\nbroker = "{redis_server.url}"\n')
    course = Course(course_copy)
    stub = course_copy / "release" / "ML06" / "ML06.ipynb"
    queue = BrokerQueue(course)
    for student in ("lost", "ann", "ben"):
        number = receive(course, "ML06", student, stub.name, stub.read_bytes()).number
        if student != "lost":   # lost's job never reached the queue
            assert queue.submit(AttemptJob("ML06", student, number))
    assert queue.sweep(grace_s=0) == 1
    with queue.app.connection_for_read() as connection:
        waiting = connection.SimpleQueue(queue.settings.name, no_ack=True)
        order = [waiting.get(timeout=5).payload[0][0]["student"] for _ in range(3)]
    assert order == ["lost", "ann", "ben"]


@pytest.mark.slow
def test_embedded_queue_regrades_a_killed_workers_attempt_at_once(course_copy, monkeypatch):
    """No broker: the worker process grading an attempt is SIGKILLed; the queue sees its
    pool broken, starts a fresh one and grades the attempt again at once, recorded once.
    (The fallback sandbox: test_queue.py kills a bubblewrap host.)"""
    import json
    import os
    import signal
    from pathlib import Path

    from gradekit.attempts import table as attempts, gradebook
    from gradekit.course.layout import Course
    from gradekit.dispatch.broker_grader import wait_final
    from gradekit.dispatch.jobs import AttemptJob
    from gradekit.dispatch.local_queue import LocalQueue
    from gradekit.attempts.receive import receive
    monkeypatch.setenv("GRADEKIT_SANDBOX", "fallback")
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")
    course = Course(course_copy)
    reference = Path(course_copy) / "reference" / "ML06" / "mlp.py"
    queue = LocalQueue(course, workers=1)
    try:
        queue.start()
        received = receive(course, "ML06", "alice", reference.name, reference.read_bytes())
        queue.submit(AttemptJob("ML06", "alice", received.number))
        key = ("ML06", "alice", received.number)
        deadline = time.monotonic() + 120
        while attempts.get(course, *key).status != "grading":
            assert time.monotonic() < deadline, "never started grading"
            time.sleep(0.05)
        time.sleep(1.5)   # into the student's training
        (victim,) = list(queue._pool._processes)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        row = wait_final(course, key, 120)
        took = time.monotonic() - killed
        while row is not None and row.recorded is False and time.monotonic() < killed + 180:
            time.sleep(0.1)   # the grade is shown; the gradebook and the log follow
            row = attempts.get(course, *key)
    finally:
        queue.close()
    assert row is not None and row.status == "graded" and row.score == 10.0
    assert row.tries == 2 and row.recorded and took < 60, (row.tries, took)
    log = course_copy / "uploads" / "alice" / "ML06" / "attempts.jsonl"
    assert [json.loads(line)["event"] for line in log.read_text().splitlines()] == [
        "received", "graded"]
    assert list(gradebook.scores(course, "ML06")) == ["alice"]


@pytest.mark.services
def test_doctor_and_dashboard_show_attempts_in_flight(course_copy, redis_server, capsys):
    """Queued, grading and unrecorded attempts with their age, the oldest first; doctor
    says who holds each lease and warns for one that nobody holds; never FAIL."""
    import re

    from starlette.testclient import TestClient

    from gradekit.attempts import table as attempts
    from gradekit.course.layout import Course
    from gradekit.course.config import queue_settings
    from gradekit.dispatch.local_queue import LocalQueue
    from gradekit.diagnostics.course import check_in_flight
    from gradekit.diagnostics.findings import Findings
    from gradekit.attempts.receive import receive
    from gradekit.attempts.users import add_user
    from gradekit.web.app import build_app
    (course_copy / "gradekit.toml").write_text(
        f'[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n\n[queue]\nbroker = "{redis_server.url}"\n')
    course = Course(course_copy)
    stub = course_copy / "release" / "ML06" / "ML06.ipynb"
    keys = {}
    for student in ("alice", "bob", "carol", "dan"):
        keys[student] = ("ML06", student,
                         receive(course, "ML06", student, stub.name, stub.read_bytes()).number)
    leases = Leases(queue_settings(course))
    leases.queued(keys["alice"])
    attempts.set_status(course, keys["bob"], "grading", count_try=True)
    lease = leases.take(keys["bob"], "0123456789abcdef")
    attempts.set_status(course, keys["carol"], "graded", score=0.0, max_score=10.0,
                        recorded=False)
    attempts.set_status(course, keys["dan"], "graded", score=0.0, max_score=10.0,
                        recorded=True)
    capsys.readouterr()
    found = Findings()
    check_in_flight(found, course_copy)
    lines = capsys.readouterr().out.splitlines()
    assert not found.broken
    assert re.fullmatch(r"  ok    in flight: 1 queued \(oldest \d+ s\), "
                        r"1 grading \(oldest \d+ s\), 1 unrecorded \(oldest \d+ s\)",
                        lines[0]), lines[0]
    assert re.fullmatch(r"  ok    in flight: ML06/alice attempt 1 queued for \d+ s, "
                        r"received \d+ s ago, its job waits in the queue", lines[1]), lines[1]
    assert lines[2].startswith("  ok    in flight: ML06/bob attempt 1 grading for ")
    assert lines[2].endswith(f"lease held by {lease.token.split()[2]} (job 01234567)")
    assert lines[3].startswith("  warn  in flight: ML06/carol attempt 1 unrecorded for ")
    assert lines[3].endswith("no lease: a sweeper publishes it again") and len(lines) == 4

    prof = add_user(course, "prof", role="instructor")
    client = TestClient(build_app(course, LocalQueue(course, workers=1)))
    client.post("/signin", data={"token": prof, "csrf": re.search(
        r'name="csrf" value="([^"]+)"', client.get("/signin").text).group(1)})
    page = client.get("/instructor/ML06")
    table = re.search(r'<table id="in-flight">(.*?)</table>', page.text, re.S).group(1)
    cells = [re.findall(r"<td>(?:<a [^>]*>)?([^<]*)", row)
             for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert [(c[0], c[1], c[2]) for c in cells] == [
        ("alice", "1", "queued"), ("bob", "1", "grading"), ("carol", "1", "unrecorded")]
    assert all(re.fullmatch(r"\d+ s", c[3]) and re.fullmatch(r"\d+ s ago", c[4]) for c in cells)
    for student in ("alice", "bob", "carol"):
        attempts.set_status(course, keys[student], "graded", recorded=True)
    assert 'No attempt waits to be graded' in client.get("/instructor/ML06").text
