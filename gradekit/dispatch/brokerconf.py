"""The course's job queue, read in one place: gradekit.toml's [queue] table.

    [queue]
    broker = "redis://grading-db:6379/0"   # or GRADEKIT_BROKER; absent: no broker
    name = "gradekit"        # the broker's queue (and lease keys): one per course
    time_limit_s = 600       # hard limit of one job; well above the assignment's budget_s
    wait_s = 900             # how long `gradekit upload` waits for its attempt's report
    sweep_s = 30             # how often web and workers look for attempts the queue lost
    grace_s = 60             # a pending attempt this old without a lease is enqueued again

Standard library only: the seam asks this on every `gradekit upload`, before it knows
whether Celery is needed at all.
"""
import os
import re
from dataclasses import dataclass, fields

from ..course import CourseError
from ..settings import SettingsError, read_toml


@dataclass(frozen=True)
class QueueSettings:
    broker: str
    name: str = "gradekit"
    time_limit_s: float = 600.0
    wait_s: float = 900.0
    sweep_s: float = 30.0
    grace_s: float = 60.0

    @property
    def visibility_timeout_s(self) -> float:
        """How long Redis lets a delivered, unacknowledged job wait before handing it out
        again: longer than any job may run (time limit) or wait for its retry countdown,
        else a slow grading would be delivered twice while it runs."""
        return max(3600.0, 2 * self.time_limit_s + 600.0)

    @property
    def lease_s(self) -> float:
        """A grading's lease (leases.py): once it lapses, the worker holding the job is taken
        for lost (a job that ran into the time limit lapses too) and the job is enqueued again."""
        return self.time_limit_s + 60.0

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
    if not values["broker"].startswith(("redis://", "rediss://")):
        raise CourseError("gradekit.toml: [queue] broker must be a redis:// URL")
    return QueueSettings(**{k: (float(v) if k.endswith("_s") else v) for k, v in values.items()})
