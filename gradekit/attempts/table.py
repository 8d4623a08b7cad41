"""Attempts and their status in the course database: what the web pages and workers share.

An attempt is received (archived, logged) once, then moves through
    queued -> grading -> graded              (or back to queued for a retry)
    received as rejected | refused           (never graded)
    grading -> error                         (our failure, after the last retry)
The attempts log (uploads/ID/A/attempts.jsonl) stays the append-only history; this table is
the current state, written by whichever process or host does the step.  A graded attempt is
shown before the gradebook holds it (`recorded` False until then): a worker lost in between
leaves it `unrecorded`, and the queues grade it again to finish (to_grade).
"""
import json
from dataclasses import dataclass, fields
from datetime import datetime, timezone

from sqlalchemy import and_, insert, or_, select, update

from .states import FINAL, PENDING, Status   # PENDING, FINAL: importable from here too
from .database import attempts, engine_for


@dataclass
class Attempt:
    """One row of gk_attempts (see database.py for the meaning of each field)."""

    assignment: str
    student: str
    number: int
    filename: str
    archive: str
    received: str
    status: str
    reason: str | None = None
    tries: int = 0
    score: float | None = None
    max_score: float | None = None
    late_penalty: float | None = None
    counts: bool | None = None
    report: str | None = None
    updated: str | None = None
    recorded: bool | None = None

    @property
    def unrecorded(self):
        """Graded, and the student sees it, but its recording was cut short (record.py)."""
        return self.status == Status.GRADED and self.recorded is False

    @property
    def stage(self):
        """Where an attempt to grade is (to_grade): queued, grading or unrecorded."""
        return "unrecorded" if self.unrecorded else self.status

    @property
    def points(self):
        """The score after the late penalty (None until graded)."""
        return None if self.score is None else self.score - (self.late_penalty or 0)

    @property
    def key(self):
        return (self.assignment, self.student, self.number)

    def report_json(self) -> dict | None:
        return json.loads(self.report) if self.report else None


_COLUMNS = [f.name for f in fields(Attempt)]


def _now():
    return datetime.now(timezone.utc).isoformat()


def seconds_since(stamp) -> float:
    """Seconds from an ISO time stamp (received, updated) until now."""
    return (datetime.now(timezone.utc) - datetime.fromisoformat(stamp)).total_seconds()


def _row(record) -> Attempt:
    return Attempt(**{name: getattr(record, name) for name in _COLUMNS})


def _where(assignment, student, number):
    return and_(attempts.c.assignment == assignment, attempts.c.student == student,
                attempts.c.number == number)


def add(course, attempt: Attempt):
    """Record a received attempt (its identity is unique: a second add raises)."""
    values = {name: getattr(attempt, name) for name in _COLUMNS}
    values["updated"] = _now()
    with engine_for(course).begin() as db:
        db.execute(insert(attempts).values(**values))


def get(course, assignment, student, number) -> Attempt | None:
    with engine_for(course).connect() as db:
        record = db.execute(select(attempts).where(
            _where(assignment, student, number))).first()
    return _row(record) if record else None


def listing(course, assignment=None, student=None, status=None) -> list[Attempt]:
    """Attempts, oldest first, filtered by whichever of the arguments are given."""
    query = select(attempts).order_by(attempts.c.received, attempts.c.number)
    if assignment is not None:
        query = query.where(attempts.c.assignment == assignment)
    if student is not None:
        query = query.where(attempts.c.student == student)
    if status is not None:
        query = query.where(attempts.c.status.in_(status))
    with engine_for(course).connect() as db:
        return [_row(r) for r in db.execute(query)]


def to_grade(course) -> list[Attempt]:
    """Attempts a queue must (still) grade: pending, or graded but unrecorded; oldest first."""
    query = select(attempts).where(or_(
        attempts.c.status.in_(PENDING),
        and_(attempts.c.status == Status.GRADED, attempts.c.recorded.is_(False))))
    with engine_for(course).connect() as db:
        return [_row(r) for r in db.execute(
            query.order_by(attempts.c.received, attempts.c.number))]


def mark_recorded(course, key):
    """The gradebook, report files and attempts log hold this graded attempt now."""
    with engine_for(course).begin() as db:
        db.execute(update(attempts).where(_where(*key)).values(recorded=True))


def set_status(course, key, status, *, only_from=None, count_try=False, **values) -> bool:
    """Move an attempt to `status` (only from the statuses `only_from`, when given);
    False when it was in none of them.  count_try: one more grading try begins."""
    query = update(attempts).where(_where(*key))
    if only_from is not None:
        query = query.where(attempts.c.status.in_(only_from))
    values = dict(values, status=status, updated=_now())
    if count_try:
        values["tries"] = attempts.c.tries + 1
    with engine_for(course).begin() as db:
        return db.execute(query.values(**values)).rowcount == 1
