"""Pairs of students an instructor flagged for follow-up on the similarity page.

A pair is stored once, its two ids in sorted order, so (a, b) and (b, a) are the same flag.
Flagging again replaces the note and who flagged it; unflagging deletes the row.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from .database import engine_for, pair_flags

NOTE_CHARS = 500   # a note is a reminder, not the case file


@dataclass(frozen=True)
class Flag:
    assignment: str
    a: str
    b: str
    flagged_by: str
    flagged_at: str
    note: str


def ordered(a, b):
    return (a, b) if a <= b else (b, a)


def _where(assignment, a, b):
    a, b = ordered(a, b)
    return and_(pair_flags.c.assignment == assignment, pair_flags.c.student_a == a,
                pair_flags.c.student_b == b)


def flag(course, assignment, a, b, by, note=""):
    """Flag pair (a, b) of `assignment` for follow-up (again: the note is replaced)."""
    first, second = ordered(a, b)
    values = {"flagged_by": by, "flagged_at": datetime.now(timezone.utc).isoformat(),
              "note": (note or "").strip()[:NOTE_CHARS]}
    engine = engine_for(course)
    with engine.begin() as db:
        if db.execute(update(pair_flags).where(_where(assignment, a, b))
                      .values(**values)).rowcount:
            return
    try:
        with engine.begin() as db:
            db.execute(insert(pair_flags).values(assignment=assignment, student_a=first,
                                                 student_b=second, **values))
    except IntegrityError:   # another instructor flagged it meanwhile: theirs is kept
        pass


def unflag(course, assignment, a, b) -> bool:
    """Remove the flag of pair (a, b); False when it was not flagged."""
    with engine_for(course).begin() as db:
        return db.execute(delete(pair_flags).where(_where(assignment, a, b))).rowcount > 0


def flags(course, assignment) -> dict:
    """{(a, b): Flag} of `assignment`, a < b."""
    query = select(pair_flags).where(pair_flags.c.assignment == assignment)
    with engine_for(course).connect() as db:
        return {(r.student_a, r.student_b): Flag(assignment, r.student_a, r.student_b,
                                                 r.flagged_by, r.flagged_at, r.note)
                for r in db.execute(query)}
