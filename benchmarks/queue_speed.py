"""The job queue's cost and scaling: the same burst of uploads through the embedded workers
(dispatch.queue.LocalQueue, SQLite: what `gradekit web` does without a broker) and through
Celery (`gradekit worker` with 1 and with 2 processes, Redis broker, PostgreSQL database).

    python benchmarks/queue_speed.py [--uploads N] [--sequential K] [--json FILE]

Each mode: a private course copy, N uploads of the reference (a grading that spends seconds
in the student's own training) received and submitted at once, as at a deadline; a poller
reads the attempts' rows every 10 ms.  Reported: throughput (uploads / (last report -
first upload)), p50/p95 from upload to report (the row turns "graded" once the report is
written), and the queue's own overhead per job, measured on K release stubs sent one at a
time to an idle worker: enqueue -> start (submit returned ... the row turns "grading", the
first thing a worker does) and finish -> recorded, which is 0 by construction for both
queues (the job records its own result in the database; no result store sits between).
Real servers as the tests start them (tests/servers.py).  Not part of the suite.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from servers import PostgresServer, RedisServer  # noqa: E402

from gradekit.attempts import table as attempts  # noqa: E402
from gradekit.course.layout import Course  # noqa: E402
from gradekit.dispatch import queue_for  # noqa: E402
from gradekit.dispatch.jobs import AttemptJob  # noqa: E402
from gradekit.attempts.receive import receive  # noqa: E402

REFERENCE = REPO / "reference" / "ML06" / "mlp.py"
STUB = REPO / "release" / "ML06" / "ML06.ipynb"


def course_copy(folder, broker=None):
    root = Course(REPO).copy_to(Path(folder) / "course").root
    text = "[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n"
    if broker:
        text += f'\n[queue]\nbroker = "{broker}"\n'
    (root / "gradekit.toml").write_text(text)
    return Course(root)


class Watch:
    """When each attempt's row was first seen "grading" and "graded" (10 ms polling)."""

    def __init__(self, course):
        self.course, self.seen, self.stop = course, {}, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            now = time.monotonic()
            for row in attempts.listing(self.course, assignment="ML06"):
                self.seen.setdefault((row.student, row.status), now)
            time.sleep(0.01)

    def wait(self, student, status, patience_s=900):
        deadline = time.monotonic() + patience_s
        while (student, status) not in self.seen:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{student} never {status}")
            time.sleep(0.005)
        return self.seen[(student, status)]


def upload(course, queue, student, path):
    """What the web service does: receive, then submit; (time before, time submitted)."""
    began = time.monotonic()
    received = receive(course, "ML06", student, path.name, path.read_bytes())
    queue.submit(AttemptJob("ML06", student, received.number))
    return began, time.monotonic()


def measure(course, queue, uploads, sequential):
    watch = Watch(course)
    overhead = []   # one at a time: enqueue -> start on an idle worker
    for i in range(sequential):
        _, submitted = upload(course, queue, f"seq{i}", STUB)
        overhead.append(watch.wait(f"seq{i}", "grading") - submitted)
        watch.wait(f"seq{i}", "graded")
    busy = cpu_busy()
    times = [upload(course, queue, f"s{i:03d}", REFERENCE) for i in range(uploads)]
    done = [watch.wait(f"s{i:03d}", "graded") for i in range(uploads)]
    busy = cpu_busy(busy)
    watch.stop.set()
    latency = sorted(d - b for (b, _), d in zip(times, done))
    return {"uploads": uploads, "wall_s": max(done) - times[0][0],
            "throughput_per_min": 60 * uploads / (max(done) - times[0][0]),
            "p50_s": statistics.median(latency),
            "p95_s": latency[min(len(latency) - 1, round(0.95 * (len(latency) - 1)))],
            "enqueue_to_start_ms": [round(1000 * x, 1) for x in overhead],
            "enqueue_to_start_median_ms": round(1000 * statistics.median(overhead), 1)
            if overhead else None, "finish_to_recorded_ms": 0.0, "cores_busy": busy}


def embedded(uploads, sequential, workers):
    with tempfile.TemporaryDirectory(prefix="queue-bench-") as folder:
        course = course_copy(folder)
        queue = queue_for(course, workers)
        queue.start()   # warms the workers (seconds), before anything is timed
        try:
            return measure(course, queue, uploads, sequential)
        finally:
            queue.close()


def celery(uploads, sequential, concurrency, redis, postgres):
    with tempfile.TemporaryDirectory(prefix="queue-bench-") as folder:
        os.environ["GRADEKIT_DATABASE"] = postgres.database()
        course = course_copy(folder, redis.url)
        log = Path(folder) / "worker.log"
        with open(log, "w") as handle:
            worker = subprocess.Popen([sys.executable, "-m", "gradekit.cli", "worker",
                                       "--concurrency", str(concurrency)], cwd=course.root,
                                      stdout=handle, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while log.read_text().count(" is warm") < concurrency:
                assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            return measure(course, queue_for(course), uploads, sequential)
        finally:
            worker.terminate()
            worker.wait(timeout=120)
            del os.environ["GRADEKIT_DATABASE"]


def cpu_busy(since=None):
    """All cores' busy time (/proc/stat, whoever used them); with `since`: the average
    number of busy cores from then to now."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    now = (sum(values) - values[3] - values[4], sum(values), time.monotonic())
    if since is None:
        return now
    return round((now[0] - since[0]) / (now[1] - since[1]) * os.cpu_count(), 2)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]}"


def load():
    return open("/proc/loadavg").read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--sequential", type=int, default=8)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--modes", default="embedded,celery1,celery2",
                        help="which of embedded, celery1, celery2 (comma-separated)")
    args = parser.parse_args()
    redis, postgres = RedisServer(), PostgresServer()
    redis.start()
    postgres.start()
    rows = {}
    try:
        for key, name, run in (
                ("embedded", "embedded workers, 2 processes (SQLite)",
                 lambda: embedded(args.uploads, args.sequential, 2)),
                ("celery1", "Celery, 1 worker process (Redis, PostgreSQL)",
                 lambda: celery(args.uploads, args.sequential, 1, redis, postgres)),
                ("celery2", "Celery, 2 worker processes (Redis, PostgreSQL)",
                 lambda: celery(args.uploads, args.sequential, 2, redis, postgres))):
            if key not in args.modes.split(","):
                continue
            before = load()
            rows[name] = dict(run(), load_before=before, load_after=load())
            print(name, json.dumps(rows[name]), flush=True)
    finally:
        redis.close()
        postgres.close()
    print(f"\n{machine()}; {args.uploads} uploads of the reference at once per mode\n")
    print(f"| mode | uploads/min | p50 s | p95 s | enqueue->start ms (median of "
          f"{args.sequential}) | cores busy | load 1-min before/after |\n"
          "|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['throughput_per_min']:.1f} | {row['p50_s']:.1f} | "
              f"{row['p95_s']:.1f} | {row['enqueue_to_start_median_ms']} | "
              f"{row['cores_busy']} | {row['load_before']}/{row['load_after']} |")
    speeds = [row["throughput_per_min"] for name, row in rows.items() if "Celery" in name]
    if len(speeds) == 2:
        print(f"\nCelery 2 processes / 1 process: {speeds[1] / speeds[0]:.2f}x throughput")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "modes": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
