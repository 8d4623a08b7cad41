"""The course's job queue, read in one place: gradekit.toml's [queue] table.

    [queue]
    broker = "redis://grading-db:6379/0"   # or GRADEKIT_BROKER; absent: no broker
    name = "gradekit"        # the broker's queue (and lease keys): one per course
    time_limit_s = 600       # hard limit of one job; well above the assignment's budget_s
    wait_s = 900             # how long `gradekit upload` waits for its attempt's report
    lease_s = 20             # a grading's lease: renewed every lease_s / 4 while it runs
    sweep_s = 10             # how often web and workers look for attempts the queue lost
    grace_s = 15             # a pending attempt this old without a lease is enqueued again

A lost grading host's attempt is published again at most max(lease_s, grace_s) + sweep_s
seconds after its death (30 s with the defaults), then graded by the next free worker.

Standard library only: the seam asks this on every `gradekit upload`, before it knows
whether Celery is needed at all.
"""
import os
import re
from dataclasses import dataclass, fields

from ..course.layout import CourseError
from ..course.settings import SettingsError, read_toml


MIN_LEASE_S = 4.0


@dataclass(frozen=True)
class QueueSettings:
    broker: str
    name: str = "gradekit"
    time_limit_s: float = 600.0
    wait_s: float = 900.0
    lease_s: float = 20.0
    sweep_s: float = 10.0
    grace_s: float = 15.0

    @property
    def visibility_timeout_s(self) -> float:
        """How long Redis lets a delivered, unacknowledged job wait before handing it out
        again: longer than any job may run (time limit) or wait for its retry countdown,
        else a slow grading would be delivered twice while it runs."""
        return max(3600.0, 2 * self.time_limit_s + 600.0)

    @property
    def heartbeat_s(self) -> float:
        """How often a worker renews the lease of the attempt it grades (leases.py): four
        renewals per lease, so a late one or two (a busy host, a slow Redis) do not let a
        live grading's lease lapse; once the worker is gone it lapses within lease_s."""
        return self.lease_s / 4

    @property
    def shown_broker(self) -> str:
        """The broker URL without its password, for messages and logs."""
        return re.sub(r"://([^:@/]*):[^@/]*@", r"://\1:***@", self.broker)


def queue_settings(course) -> QueueSettings | None:
    """The course's queue, or None when no broker is configured (grade here, as always)."""
    try:
        table = read_toml(course.root / "gradekit.toml").get("queue", {})
    except SettingsError as exc:
        raise CourseError(f"gradekit.toml: {exc}") from None
    if not isinstance(table, dict):
        raise CourseError("gradekit.toml: [queue] must be a table")
    values = dict(table, broker=os.environ.get("GRADEKIT_BROKER") or table.get("broker"))
    if not values["broker"]:
        return None
    known = {f.name: f.type for f in fields(QueueSettings)}
    for key, value in values.items():
        if key not in known:
            raise CourseError(f"gradekit.toml: unknown [queue] setting {key!r}")
        if key in ("broker", "name"):
            if not isinstance(value, str) or not value:
                raise CourseError(f"gradekit.toml: [queue] {key} must be a non-empty string")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise CourseError(f"gradekit.toml: [queue] {key} must be a number of seconds ≥ 0")
    if values.get("lease_s", MIN_LEASE_S) < MIN_LEASE_S:
        raise CourseError(f"gradekit.toml: [queue] lease_s must be at least {MIN_LEASE_S:g} s "
                          "(a worker renews it every lease_s / 4)")
    if not values["broker"].startswith(("redis://", "rediss://")):
        raise CourseError("gradekit.toml: [queue] broker must be a redis:// URL")
    return QueueSettings(**{k: (float(v) if k.endswith("_s") else v) for k, v in values.items()})
