"""Broker transport: grading jobs on Celery workers on any number of hosts (celery_app.py).

Used when the course configures a broker (course/config.py); then

  - the web service's background queue is BrokerQueue (here): a received attempt's job is
    published and the page follows the attempt's row in the course database;
  - `gradekit upload` receives the upload here (archive, log, policy, row), publishes its
    job and waits for a worker to record it (broker_grader.BrokerGrader.upload);
  - `gradekit autograde` and `grade` send GradeJobs and take their results back; with no
    worker answering they grade here, as without a broker (broker_grader.py).

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

from ..course.config import queue_settings
from .jobs import AttemptJob, job_to_wire

log = logging.getLogger("gradekit.queue")


def publish_errors():
    """The errors of a broker that is away (kombu's, redis', OSError), imported when used."""
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
        except publish_errors() as exc:
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
            except publish_errors() as exc:   # the broker is away: next time
                log.warning("sweeper: broker %s unreachable (%s)", self.settings.shown_broker,
                            exc)
            except Exception:   # never let the sweeper die with the service
                log.exception("sweeper failed; trying again in %.0f s", self.settings.sweep_s)
            self._stop.wait(self.settings.sweep_s)
