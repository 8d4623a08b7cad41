"""Leases: which attempts the job queue holds, in the broker's own Redis.

A job may be lost outside Celery's sight: published while Redis was down, dropped by a
Redis that lost its data, or taken by a grading host that died whole (no Celery parent left
to hand it out again).  A key per attempt says "the queue has this one":

  "queued"                       its job waits in the queue (kept for the broker's visibility
                                 timeout); set when the job is published;
  "grading JOB HOST:PID:NONCE"   a worker grades it now: taken when the job starts, renewed
                                 every heartbeat_s by a thread of that worker (Lease), so it
                                 lapses lease_s after the worker died, and deleted once final.

The sweeper (broker.py) enqueues every pending attempt without a key again; it claims the
key first (SET NX), so sweepers on several hosts enqueue a lost attempt once.  The keys live
in the same Redis as the jobs: when the broker loses its jobs, it loses their leases too.

At most one grading holds an attempt's lease.  A job that finds another job's live lease
drops itself: that grading will finish, or its lease lapses and the sweeper enqueues the
attempt again.  A job delivered again (JOB is Celery's task id, the same in every delivery)
takes over its own earlier delivery's lease: Celery hands a job out again only once that
delivery no longer runs (its process died, the visibility timeout passed, the connection
was lost).  A worker whose renewals stalled past lease_s while it kept grading may meet a
second grading started meanwhile: it stops renewing and finishes, and record.py records the
attempt once whichever finishes first.  So an attempt is graded twice at most, recorded once.
"""
import logging
import os
import socket
import threading
import uuid

import redis

log = logging.getLogger("gradekit.worker")
QUEUED, GRADING = "queued", "grading "

# Set the lease to ARGV[1] (a grading's token) for ARGV[3] s unless another job grades it:
# a live value starting with "grading " but not with ARGV[2] ("grading JOB ").
_TAKE = """
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, 8) == 'grading ' and
   string.sub(held, 1, string.len(ARGV[2])) ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
"""
# Delete the lease only while it still holds ARGV[1] (never another grading's).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def described(value) -> str:
    """What an attempt's lease (Leases.held) says, in words."""
    if value is None:
        return "no lease: a sweeper publishes it again"
    if value == QUEUED:
        return "its job waits in the queue"
    parts = value.split(" ", 2)
    if len(parts) != 3:   # not written by gradekit
        return f"lease {value[:40]!r}"
    return f"lease held by {parts[2]} (job {parts[1][:8]})"


def lease_states(course, attempt_keys) -> list:
    """(", " and what its lease says, whether nobody holds it) per attempt; [] when the
    course has no broker or it does not answer (doctor's job queue line says why)."""
    from ..course.config import queue_settings
    try:
        settings = queue_settings(course)
        held = Leases(settings).held(attempt_keys) if settings else None
    except Exception:   # noqa: BLE001  (redis' errors, a bad [queue] table: said elsewhere)
        return []
    return [] if held is None else [(f", {described(value)}", value is None) for value in held]


class Leases:
    def __init__(self, settings):
        self.settings = settings
        self.redis = redis.Redis.from_url(settings.broker, socket_timeout=5,
                                          socket_connect_timeout=3)
        self._take = self.redis.register_script(_TAKE)
        self._release = self.redis.register_script(_RELEASE)

    def key(self, attempt_key):
        assignment, student, number = attempt_key
        return f"gradekit:{self.settings.name}:lease:{assignment}/{student}/{number}"

    def queued(self, attempt_key, only_if_free=True) -> bool:
        """Its job is in the queue (kept if a worker's lease is already there)."""
        return bool(self.redis.set(self.key(attempt_key), QUEUED, nx=only_if_free,
                                   ex=int(self.settings.visibility_timeout_s)))

    def take(self, attempt_key, job_id) -> "Lease | None":
        """The grading lease for job `job_id`, or None when another job grades the attempt."""
        lease = Lease(self, attempt_key, job_id)
        return lease if lease.renew() else None

    def release(self, attempt_key, value=QUEUED):
        """Delete the lease if it still says `value` (default: a job waits in the queue)."""
        self._release(keys=[self.key(attempt_key)], args=[value])

    def held(self, attempt_keys) -> list:
        """What each attempt's lease says now (None: nobody holds it), for doctor and pages."""
        values = self.redis.mget([self.key(k) for k in attempt_keys]) if attempt_keys else []
        return [v.decode(errors="replace") if v is not None else None for v in values]

    def claim_missing(self, attempt_keys) -> list:
        """Claim the leases nobody holds (one bool per key): those jobs the queue lost."""
        pipe = self.redis.pipeline(transaction=False)
        for attempt_key in attempt_keys:
            pipe.set(self.key(attempt_key), QUEUED, nx=True,
                     ex=int(self.settings.visibility_timeout_s))
        return [bool(done) for done in pipe.execute()]


class Lease:
    """One grading's hold on its attempt; `with lease:` renews it every heartbeat_s in a
    thread of this process, which dies with the process: a killed worker renews nothing."""

    def __init__(self, leases, attempt_key, job_id):
        self.leases, self.attempt_key = leases, attempt_key
        self.prefix = f"{GRADING}{job_id} "
        self.token = f"{self.prefix}{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._thread = None

    def renew(self) -> bool:
        """Hold the lease for lease_s more; False when another job's grading holds it."""
        return bool(self.leases._take(keys=[self.leases.key(self.attempt_key)], args=[
            self.token, self.prefix, int(self.leases.settings.lease_s)]))

    def release(self):
        self.leases.release(self.attempt_key, self.token)

    def __enter__(self):
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name="gradekit-lease-heartbeat")
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()

    def _beat(self):
        while not self._stop.wait(self.leases.settings.heartbeat_s):
            try:
                if not self.renew():   # ours lapsed and another job took it: it grades too
                    log.warning("lease of attempt %s taken over by another grading; finishing "
                                "this one (recorded once)", self.attempt_key)
                    return
            except redis.RedisError as exc:   # Redis away for a moment: the next beat
                log.warning("lease of attempt %s not renewed (%s)", self.attempt_key, exc)
