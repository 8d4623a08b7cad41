"""gradekit.toml, the course's configuration, read and checked in one place.

    [ASSIGNMENT]   an assignment's upload policy: the fields of course.policy.Policy
    [queue]        the job queue shared by grading hosts: the fields of QueueSettings
    broker = "redis://grading-db:6379/0"   # or GRADEKIT_BROKER; absent: no broker
    name = "gradekit"        # the broker's queue (and lease keys): one per course
    time_limit_s = 600       # hard limit of one job; well above the assignment's budget_s
    wait_s = 900             # how long `gradekit upload` waits for its attempt's report
    lease_s = 20             # a grading's lease: renewed every lease_s / 4 while it runs
    sweep_s = 10             # how often web and workers look for attempts the queue lost
    grace_s = 15             # a pending attempt this old without a lease is enqueued again
    [database]
    url = "postgresql://gradekit@db-host/course"   # or GRADEKIT_DATABASE; absent: SQLite

Every other table is an assignment's, so `queue` and `database` (layout.RESERVED) are no
assignment's names.  The whole file is checked at every read: an unknown key or a value of
the wrong kind anywhere is one line naming its table and key (a CourseError, exit 2), never
a setting silently ignored.  The environment variables stand in for the file's broker and url
so that passwords can stay out of the course folder.  Read at every call, never cached: an
edit (a deadline moved) holds at once in a running service.

A lost grading host's attempt is published again at most max(lease_s, grace_s) + sweep_s
seconds after its death (30 s with the defaults), then graded by the next free worker.
Standard library only: `gradekit upload` asks this before it knows whether Celery is needed.
"""
import math
import os
import re
from dataclasses import dataclass, field, fields
from datetime import datetime

from .layout import ASSIGNMENT_NAME, RESERVED, CourseError
from .policy import Policy
from .settings import SettingsError, read_toml

FILE = "gradekit.toml"
MIN_LEASE_S = 4.0
LATE_PENALTY = re.compile(r"^(none|zero|per_day:(\d+(\.\d*)?|\.\d+))$")


@dataclass(frozen=True)
class QueueSettings:
    """The [queue] table: the broker and the timings of the job queue (seconds)."""

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


@dataclass(frozen=True)
class CourseConfig:
    """gradekit.toml once checked, with the environment's overrides applied."""

    policies: dict = field(default_factory=dict)   # {assignment: Policy} of those with a table
    queue: QueueSettings | None = None             # None: no broker, grading on this host
    database_url: str | None = None                # as written; None: the embedded SQLite

    def policy(self, assignment) -> Policy:
        """The policy of `assignment`: its table's, defaults where it is silent or absent."""
        return self.policies.get(assignment, Policy())


def read_config(course) -> CourseConfig:
    """The course's gradekit.toml, checked whole (defaults when the file is absent)."""
    try:
        data = read_toml(course.root / FILE)
    except SettingsError as exc:
        raise CourseError(f"{FILE}: {exc}") from None
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CourseError(f"{FILE}: {name!r} must be a table ([ASSIGNMENT], [queue] or "
                              "[database]), not a setting of its own")
        if name not in RESERVED and not ASSIGNMENT_NAME.match(name):
            raise CourseError(f"{FILE}: [{name}] is no assignment name, [queue] or [database]")
    return CourseConfig(
        policies={name: _policy(name, table) for name, table in data.items()
                  if name not in RESERVED},
        queue=_queue(data.get("queue", {})),
        database_url=os.environ.get("GRADEKIT_DATABASE") or _database(data.get("database", {})))


def load_policy(course, assignment) -> Policy:
    """The upload policy of `assignment` (gradekit.toml's [assignment] table)."""
    return read_config(course).policy(assignment)


def queue_settings(course) -> QueueSettings | None:
    """The course's job queue, or None when no broker is configured (grade here, as always)."""
    return read_config(course).queue


def _fail(table, message):
    raise CourseError(f"{FILE}: [{table}] {message}")


def _known(table, values, names):
    """Unknown keys of a table are errors: a typo must not pass as a default."""
    for key in values:
        if key not in names:
            raise CourseError(f"{FILE}: unknown [{table}] setting {key!r}")


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _seconds(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def _policy(name, table) -> Policy:
    """An assignment's table as a Policy; values kept as written (reports print them)."""
    _known(name, table, {f.name for f in fields(Policy)})
    deadline = table.get("deadline")
    if deadline is not None and not isinstance(deadline, datetime):
        _fail(name, "deadline must be a TOML date and time, e.g. 2026-12-20T23:59:00+01:00")
    if deadline is not None and deadline.tzinfo is None:
        _fail(name, "deadline needs a UTC offset (e.g. +01:00)")
    penalty = table.get("late_penalty", "none")
    if not isinstance(penalty, str) or not LATE_PENALTY.match(penalty):
        _fail(name, "late_penalty must be \"none\", \"zero\" or \"per_day:FRACTION\"")
    if table.get("counts", "latest") not in ("latest", "best"):
        _fail(name, "counts must be \"latest\" or \"best\"")
    for key in ("max_uploads", "free_errors"):
        if not _whole(table.get(key, 0)):
            _fail(name, f"{key} must be a whole number ≥ 0")
    if not _seconds(table.get("min_interval_s", 0)):
        _fail(name, "min_interval_s must be a number of seconds ≥ 0")
    return Policy(**table)


def _queue(table) -> QueueSettings | None:
    """[queue] as QueueSettings (seconds as floats); None without a broker."""
    _known("queue", table, {f.name for f in fields(QueueSettings)})
    values = dict(table)
    if os.environ.get("GRADEKIT_BROKER"):
        values["broker"] = os.environ["GRADEKIT_BROKER"]
    if values.get("broker") == "":
        del values["broker"]            # an empty broker is none, as an absent one
    for key, value in values.items():
        if key in ("broker", "name"):
            if not isinstance(value, str) or not value:
                _fail("queue", f"{key} must be a non-empty string")
        elif not _seconds(value):
            _fail("queue", f"{key} must be a number of seconds ≥ 0")
    if values.get("lease_s", MIN_LEASE_S) < MIN_LEASE_S:
        _fail("queue", f"lease_s must be at least {MIN_LEASE_S:g} s "
                       "(a worker renews it every lease_s / 4)")
    if "broker" not in values:
        return None
    if not values["broker"].startswith(("redis://", "rediss://")):
        _fail("queue", "broker must be a redis:// URL")
    return QueueSettings(**{k: (float(v) if k.endswith("_s") else v) for k, v in values.items()})


def _database(table) -> str | None:
    """[database] url, or None."""
    _known("database", table, {"url"})
    url = table.get("url")
    if url is not None and (not isinstance(url, str) or not url):
        _fail("database", "url must be a non-empty string")
    return url
