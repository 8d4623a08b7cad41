"""A grading host lost mid-burst: two `gradekit worker` hosts (Redis broker, PostgreSQL
database), a burst of uploads of the reference at once, and one host's whole process group
SIGKILLed while it grades (its `--kill-at`th job).

    python benchmarks/lost_host.py [--uploads 16] [--concurrency 1] [--kill-at 3] [--json FILE]

Reported, in seconds after the kill: when the dead host's attempt was graded again and when
the last attempt of the burst was graded; and whether every attempt was graded once
(one "graded" event, one report, one gradebook row each).  Default lease, sweep and grace
(course/config.py).  Real servers as the tests start them (tests/servers.py).  Not part of
the suite.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from queue_speed import REFERENCE, Watch, course_copy, load, machine, upload  # noqa: E402
from servers import PostgresServer, RedisServer  # noqa: E402

from gradekit.attempts import table as attempts, gradebook  # noqa: E402
from gradekit.dispatch import queue_for  # noqa: E402


def start_host(course, log, concurrency):
    with open(log, "w") as handle:
        return subprocess.Popen([sys.executable, "-m", "gradekit.cli", "worker",
                                 "--concurrency", str(concurrency)], cwd=course.root,
                                stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)   # a host: its own process group


def started(log):
    """(student, try) of each grading a host's log says it started, in order."""
    found = []
    for line in log.read_text().splitlines():
        if "grading ML06/" in line and " (try " in line:
            student = line.split("grading ML06/", 1)[1].split(" ", 1)[0]
            found.append((student, int(line.split(" (try ", 1)[1].split(")", 1)[0])))
    return found


def run(folder, args, redis, postgres):
    os.environ["GRADEKIT_DATABASE"] = postgres.database()
    course = course_copy(folder, redis.url)
    logs = [Path(folder) / f"host-{i}.log" for i in (0, 1)]
    hosts = [start_host(course, log, args.concurrency) for log in logs]
    try:
        deadline = time.monotonic() + 300
        while any(log.read_text().count(" is warm") < args.concurrency for log in logs):
            assert time.monotonic() < deadline, [log.read_text()[-2000:] for log in logs]
            time.sleep(0.2)
        watch, queue = Watch(course), queue_for(course)
        students = [f"s{i:03d}" for i in range(args.uploads)]
        first = time.monotonic()
        for student in students:
            upload(course, queue, student, REFERENCE)
        while len(started(logs[0])) < args.kill_at:
            assert time.monotonic() < deadline + 600, "host 0 never took enough jobs"
            time.sleep(0.05)
        victim = started(logs[0])[-1][0]
        time.sleep(1.0)   # into the student's training
        os.killpg(hosts[0].pid, signal.SIGKILL)
        killed = time.monotonic()
        hosts[0].wait()
        done = {s: watch.wait(s, "graded", patience_s=900) for s in students}
        deadline = time.monotonic() + 120   # the gradebook and the log follow the grade
        while any(r.recorded is False for r in attempts.listing(course, assignment="ML06")):
            assert time.monotonic() < deadline, "attempts left unrecorded"
            time.sleep(0.2)
        watch.stop.set()
        rows = {r.student: r for r in attempts.listing(course, assignment="ML06")}
        events = {s: [json.loads(line)["event"] for line in
                      (course.root / "uploads" / s / "ML06" / "attempts.jsonl").read_text()
                      .splitlines()] for s in students}
        reports = {s: len(list((course.root / "uploads" / s / "ML06").glob("*.report.json")))
                   for s in students}
        scores = gradebook.scores(course, "ML06")
        gradings = started(logs[0]) + started(logs[1])
        return {
            "uploads": args.uploads, "killed_after_s": round(killed - first, 1),
            "victim": victim,
            "victim_graded_after_kill_s": round(done[victim] - killed, 1),
            "last_graded_after_kill_s": round(max(done.values()) - killed, 1),
            "burst_wall_s": round(max(done.values()) - first, 1),
            "graded_once": all(events[s] == ["received", "graded"] and reports[s] == 1
                               and rows[s].status == "graded" and rows[s].score == 10.0
                               for s in students) and sorted(scores) == students,
            "gradings_started": len(gradings),
            "started_twice": sorted({s for s, _ in gradings if
                                     sum(1 for t, _ in gradings if t == s) > 1}),
            "tries": {s: rows[s].tries for s in students if rows[s].tries != 1}}
    finally:
        for host in hosts:
            if host.poll() is None:
                host.terminate()
                host.wait(timeout=120)
        del os.environ["GRADEKIT_DATABASE"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--kill-at", type=int, default=3,
                        help="kill host 0 while it grades its Nth job")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    redis, postgres = RedisServer(), PostgresServer()
    redis.start()
    postgres.start()
    try:
        with tempfile.TemporaryDirectory(prefix="lost-host-") as folder:
            before = load()
            result = dict(run(folder, args, redis, postgres), load_before=before,
                          load_after=load(), machine=machine())
    finally:
        redis.close()
        postgres.close()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["graded_once"] and result["last_graded_after_kill_s"] < 90 else 1


if __name__ == "__main__":
    sys.exit(main())
