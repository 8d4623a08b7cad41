"""Attempts graded in the background: the web service hands over a received attempt and
answers at once; the attempt's status in the database tells the pages when it is graded.

LocalQueue is the embedded default: this host's warm worker processes (warm_workers.py).
A job is an attempt's identity (jobs.AttemptJob); grading it twice records it once
(record.py), so the queue may resubmit freely: after a worker died, after our failure (with
backoff, until record.MAX_TRIES marks it "error"), and at start for attempts a stopped
service left queued or grading.
"""
import logging
import threading
import time
from concurrent.futures.process import BrokenProcessPool

from ..attempts.states import Status
from ..attempts import table as attempts
from . import warm_workers
from .jobs import AttemptJob

log = logging.getLogger("gradekit.queue")
BACKOFF_S = (2.0, 8.0, 30.0)


def backoff_s(tries):
    """Seconds to wait before grading again an attempt our infrastructure failed `tries`
    times (every queue waits the same)."""
    return BACKOFF_S[min(max(tries, 1), len(BACKOFF_S)) - 1]


class LocalQueue:
    """Attempt jobs on `workers` warm worker processes of this host."""

    transport = "local"

    def __init__(self, course, workers=None):
        self.course, self.workers = course, workers
        self._pool = None
        self._lock = threading.Lock()
        self._in_flight = set()   # keys of jobs submitted and not finished
        self._closed = False

    def start(self):
        """Start and warm the workers (seconds); then grade what a stopped service left."""
        began = time.monotonic()
        pool = warm_workers.pool(self.course.root, self.course.assignments(), self.workers)
        with self._lock:
            self._pool = pool
        log.info("grading workers ready in %.1f s", time.monotonic() - began)
        self.recover()

    def submit(self, job: AttemptJob):
        """Grade `job` on a worker, unless it is already on its way."""
        key = (job.assignment, job.student, job.attempt)
        with self._lock:
            if key in self._in_flight and not job.regrade:
                return
            self._in_flight.add(key)
            pool = self._pool
        if pool is None:   # still warming up: start() submits everything pending
            with self._lock:
                self._in_flight.discard(key)
            return
        try:
            future = pool.submit(warm_workers.run, str(self.course.root), job)
        except (BrokenProcessPool, RuntimeError):   # a worker died: a new pool, then again
            self._replace_pool(pool)
            with self._lock:
                self._in_flight.discard(key)
            return self.submit(job)
        log.debug("attempt %s/%s/%d submitted", *key)
        future.add_done_callback(lambda done: self._finished(job, key, pool, done))

    def recover(self):
        """Submit every attempt left queued, grading or unrecorded (a restart, a lost worker)."""
        pending = attempts.to_grade(self.course)
        log.info("%d attempts waiting to be graded", len(pending))
        for row in pending:
            self.submit(AttemptJob(row.assignment, row.student, row.number))

    def close(self):
        self._closed = True
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _finished(self, job, key, pool, future):
        with self._lock:
            self._in_flight.discard(key)
        if self._closed:
            return
        error = future.exception()
        if error is None:
            return
        if isinstance(error, BrokenProcessPool):   # a worker was lost (killed, out of memory)
            log.warning("worker lost while grading %s; grading it again", key)
            self._replace_pool(pool)
            return self.recover()
        row = attempts.get(self.course, *key)
        if row is not None and row.status == Status.QUEUED:   # our failure, tries left
            delay = backoff_s(row.tries)
            log.warning("grading %s failed (%s); again in %.0f s", key, error, delay)
            timer = threading.Timer(delay, self.submit, args=(job,))
            timer.daemon = True
            timer.start()
        else:
            log.error("grading %s failed: %s", key, error)

    def _replace_pool(self, broken):
        with self._lock:
            if self._pool is not broken or self._closed:
                return
            self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)
        fresh = warm_workers.pool(self.course.root, self.course.assignments(), self.workers)
        with self._lock:
            self._pool = fresh
