"""Leases: which attempts the job queue holds, in the broker's own Redis.

A job may be lost outside Celery's sight: published while Redis was down, or dropped by a
Redis that lost its data.  A key per attempt says "the queue has this one": set when its job
is published ("queued", kept for the broker's visibility timeout), refreshed when a worker
starts it ("grading", for the time limit plus a minute) and deleted once it is final.  The
sweeper (broker.py) enqueues every pending attempt without a key again; it claims the key
first (SET NX), so sweepers on several hosts enqueue a lost attempt once.  The keys live in
the same Redis as the jobs: when the broker loses its jobs, it loses their leases too.
"""
import redis


class Leases:
    def __init__(self, settings):
        self.settings = settings
        self.redis = redis.Redis.from_url(settings.broker, socket_timeout=5,
                                          socket_connect_timeout=3)

    def key(self, attempt_key):
        assignment, student, number = attempt_key
        return f"gradekit:{self.settings.name}:lease:{assignment}/{student}/{number}"

    def queued(self, attempt_key, only_if_free=True) -> bool:
        """Its job is in the queue (kept if a worker's lease is already there)."""
        return bool(self.redis.set(self.key(attempt_key), "queued", nx=only_if_free,
                                   ex=int(self.settings.visibility_timeout_s)))

    def grading(self, attempt_key):
        """A worker grades it now; lapses unless the worker finishes in time."""
        self.redis.set(self.key(attempt_key), "grading", ex=int(self.settings.lease_s))

    def release(self, attempt_key):
        self.redis.delete(self.key(attempt_key))

    def claim_missing(self, attempt_keys) -> list:
        """Claim the leases nobody holds (one bool per key): those jobs the queue lost."""
        pipe = self.redis.pipeline(transaction=False)
        for attempt_key in attempt_keys:
            pipe.set(self.key(attempt_key), "queued", nx=True,
                     ex=int(self.settings.visibility_timeout_s))
        return [bool(done) for done in pipe.execute()]
