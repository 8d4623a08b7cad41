"""Broker transport: grading jobs on Celery workers on any number of hosts (celery_app.py).

Used when the course configures a broker (course/config.py); then

  - the web service's background queue is BrokerQueue: a received attempt's job is
    published and the page follows the attempt's row in the course database;
  - `gradekit upload` receives the upload here (archive, log, policy, row), publishes its
    job and waits for a worker to record it (BrokerGrader.upload);
  - `gradekit autograde` and `grade` send GradeJobs and take their results back; with no
    worker answering they grade here, as without a broker.

Lost jobs.  A worker process that dies mid-job: Celery hands the job out again at once
(acks_late, reject_on_worker_lost).  A whole worker host lost, the broker down when the job
was published, a broker that lost its data: the attempt stays pending in the database and
its lease (leases.py) lapses within lease_s of the last heartbeat or was never taken, so the
sweeper, which `gradekit web` and every `gradekit worker` run every sweep_s, publishes it
again.  An upload while the broker
is down is therefore archived, logged and queued as always, and enqueued once the broker is
back: not graded on the front host, which is sized for pages, not for a deadline's gradings.

Standard library only at import time (Celery and the database load when used).
"""
import logging
import threading
import time
from types import SimpleNamespace

from ..attempts.states import Status
from ..errors import Exit, NotGradedYet
from ..course.config import queue_settings
from .jobs import AttemptJob, GradeJob, Grader, from_wire, job_to_wire

log = logging.getLogger("gradekit.queue")
PING_S = 1.0   # how long to wait for a worker's answer before grading here instead
POLL_S = 0.2   # how often a waiting client looks at the attempt's row or the results


def connect(course, assignment, fallback):
    """A BrokerGrader when the course configures a broker, else None."""
    settings = queue_settings(course)
    return None if settings is None else BrokerGrader(course, assignment, fallback,
                                                      BrokerQueue(course, settings=settings))


def _publish_errors():
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError
    return (OperationalError, RedisError, OSError)


class BrokerQueue:
    """Attempt jobs published to the course's broker; workers anywhere grade them.

    The same interface as queue.LocalQueue (start, submit, recover, close); `workers` is
    ignored: the grading hosts choose theirs (`gradekit worker --concurrency N`)."""

    transport = "broker"

    def __init__(self, course, workers=None, *, settings=None):
        self.course = course
        self.settings = settings or queue_settings(course)
        self._app = self._leases = None
        self._stop = threading.Event()
        self._thread = None

    @property
    def app(self):
        if self._app is None:
            from .celery_app import make_app
            self._app = make_app(self.course, self.settings)
        return self._app

    @property
    def leases(self):
        if self._leases is None:
            from .leases import Leases
            self._leases = Leases(self.settings)
        return self._leases

    def start(self):
        """Enqueue what the queue lost, now and every sweep_s, in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._sweep_forever, daemon=True,
                                            name="gradekit-sweeper")
            self._thread.start()

    def submit(self, job: AttemptJob) -> bool:
        """Publish the attempt's job; False when the broker cannot be reached (the attempt
        stays queued in the database and the sweeper publishes it once the broker is back)."""
        key = (job.assignment, job.student, job.attempt)
        try:
            self._publish(job)
            self.leases.queued(key)
        except _publish_errors() as exc:
            log.warning("broker %s unreachable (%s): attempt %s stays queued until it is back",
                        self.settings.shown_broker, exc, key)
            return False
        return True

    def recover(self) -> int:
        """Publish again every attempt to grade (pending, unrecorded) whose job the queue lacks."""
        return self.sweep(grace_s=0.0)

    def sweep(self, grace_s=None) -> int:
        """Publish the attempts to grade older than grace_s that hold no lease; how many."""
        from ..attempts import table as attempts
        grace = self.settings.grace_s if grace_s is None else grace_s
        stale = [row for row in attempts.to_grade(self.course)
                 if attempts.seconds_since(row.updated) >= grace]
        if not stale:
            return 0
        sent = 0
        for row, claimed in zip(stale, self.leases.claim_missing([r.key for r in stale])):
            if claimed:   # nobody holds it: its job is lost (or was never published)
                log.warning("attempt %s (%s) is not in the queue: enqueued again",
                            row.key, row.status)
                self._publish(AttemptJob(row.assignment, row.student, row.number,
                                         archive=row.archive), lost=True)
                sent += 1
        return sent

    def close(self):
        self._stop.set()

    def _publish(self, job, lost=False):
        """lost: the queue lost this attempt's job (celery_app.LOST_PRIORITY: ahead of the
        others, which have not waited for a grading yet)."""
        from .celery_app import ATTEMPT_TASK, LOST_PRIORITY, PRIORITY
        # no result to wait for (the attempt's row is the result): no result-store traffic
        self.app.send_task(ATTEMPT_TASK, args=[job_to_wire(job)], queue=self.settings.name,
                           ignore_result=True, priority=LOST_PRIORITY if lost else PRIORITY)

    def _sweep_forever(self):
        while not self._stop.is_set():
            try:
                self.sweep()
            except _publish_errors() as exc:   # the broker is away: next time
                log.warning("sweeper: broker %s unreachable (%s)", self.settings.shown_broker,
                            exc)
            except Exception:   # never let the sweeper die with the service
                log.exception("sweeper failed; trying again in %.0f s", self.settings.sweep_s)
            self._stop.wait(self.settings.sweep_s)


class BrokerGrader(Grader):
    """Uploads queued for the workers; gradings sent to them when one answers, else here."""

    transport = "broker"

    def __init__(self, course, assignment, fallback, queue):
        super().__init__(course, assignment)
        self.fallback, self.queue = fallback, queue
        self._answering = None

    def upload(self, student, filename, data) -> dict:
        """Receive here, publish the job, wait for a worker to record the attempt."""
        from ..attempts.receive import receive
        received = receive(self.course, self.assignment, student, filename, data)
        if received.outcome is not None:
            return received.outcome
        number = received.number
        if not self.queue.submit(AttemptJob(self.assignment, student, number,
                                            archive=received.archive)):
            raise NotGradedYet(
                f"the job queue {self.queue.settings.shown_broker} is not reachable: attempt "
                f"{number} is archived and queued, and is graded once the broker is back")
        row = wait_final(self.course, (self.assignment, student, number),
                         self.queue.settings.wait_s)
        if row is None:
            raise NotGradedYet(
                f"no worker graded attempt {number} within {self.queue.settings.wait_s:g} s: "
                f"it stays queued and is graded when a worker takes it (gradekit worker)")
        return outcome(row)

    def grade(self, filename, data, *, loaded=None, **identity):
        results = self._remote([GradeJob(self.assignment, filename, data, **identity)])
        if results is None or results[0] is None:
            return self.fallback.grade(filename, data, loaded=loaded, **identity)
        return results[0]

    def grade_many(self, paths, jobs=None):
        """All files to the workers at once, as the results come (the busy hosts pull)."""
        from pathlib import Path
        paths = list(paths)
        results = self._remote([GradeJob(self.assignment, Path(p).name, Path(p).read_bytes())
                                for p in paths], as_done=True)
        if results is None:
            yield from self.fallback.grade_many(paths, jobs)
            return
        for index, result in results:
            if result is None:   # the worker failed it: here, as if no broker ran
                result = next(iter(self.fallback.grade_many([paths[index]])))[1]
            yield index, result

    def _remote(self, jobs, as_done=False):
        """GradingResults of GradeJobs from the workers (None for a failed one), in order,
        or (index, result) as they finish; None when no worker answers."""
        from .celery_app import GRADE_TASK
        try:
            if self._answering is None:
                self._answering = bool(self.queue.app.control.ping(timeout=PING_S))
            if not self._answering:
                return None
            sent = [self.queue.app.send_task(GRADE_TASK, args=[job_to_wire(job)],
                                             queue=self.queue.settings.name) for job in jobs]
        except (*_publish_errors(), RuntimeError):   # Celery's "result store unreachable"
            return None
        done = _collect(sent, self.queue.settings.time_limit_s * max(1, len(sent)))
        return done if as_done else [result for _, result in sorted(done)]


def _collect(sent, patience_s):
    """[(index, GradingResult or None)] as the workers finish, in finishing order."""
    pending, done = dict(enumerate(sent)), []
    deadline = time.monotonic() + patience_s
    try:
        while pending and time.monotonic() < deadline:
            for index, handle in list(pending.items()):
                if handle.ready():
                    del pending[index]
                    ok = handle.successful()
                    done.append((index, from_wire(handle.get(propagate=False)) if ok else None))
                    handle.forget()
            time.sleep(POLL_S if pending else 0)
    except (*_publish_errors(), RuntimeError) as exc:   # the broker went away: the rest here
        log.warning("results from the workers lost (%s): grading the rest here", exc)
    return done + [(index, None) for index in pending]


def wait_final(course, key, patience_s):
    """The attempt's row once it is final (graded, rejected, error), or None in time."""
    from ..attempts import table as attempts
    deadline = time.monotonic() + patience_s
    while True:
        row = attempts.get(course, *key)
        if row.status in attempts.FINAL:
            return row
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_S)


def outcome(row) -> dict:
    """What `gradekit upload` prints for an attempt a worker finished: the BRUTE report
    rebuilt from the stored JSON report (record.py wrote it), or the stored outcome."""
    from ..attempts.record import stored_outcome
    from ..reports.render import attempt_tail, to_text
    if row.status != Status.GRADED:
        return stored_outcome(row)   # "error" raises RuntimeError (exit 3, no upload used)
    report = row.report_json()
    shown = SimpleNamespace(**dict(report, tests=[SimpleNamespace(**t) for t in report["tests"]]))
    text = to_text(shown) + attempt_tail(row.number, row.archive,
                                         report["upload"].get("late_penalty"))
    return {"code": Exit.DONE, "json": report, "text": text}
