"""Regrade requests: a student asks, once at a time per question, for a published grade to
be looked at again; the instructor answers in the grading view.  Every request is kept."""
from datetime import datetime, timezone

from sqlalchemy import and_, insert, select, update

from ..attempts.database import engine_for, regrade_requests
from .questions import question
from .scoring import text as checked_text
from .state import counted_rows, settings

TEXT_CHARS = 2000


class AlreadyOpen(Exception):
    """The student has an open request for this question (the API answers 409)."""


def _json(record) -> dict:
    return {"id": record.id, "question": record.question, "student": record.student,
            "text": record.text, "filed_at": record.filed_at, "status": record.status,
            "reply": record.reply, "replied_by": record.replied_by,
            "replied_at": record.replied_at}


def _now():
    return datetime.now(timezone.utc).isoformat()


def _of(assignment, qid, student):
    return and_(regrade_requests.c.assignment == assignment,
                regrade_requests.c.question == qid, regrade_requests.c.student == student)


def file_regrade(course, assignment, qid, student, text) -> dict:
    """File a request; KeyError for a student without a counted attempt, ValueError for an
    empty or long text or an unpublished question, AlreadyOpen when one is open."""
    question(course, assignment, qid)
    if not counted_rows(course, assignment, student):
        raise KeyError(f"you have no counted attempt of {assignment}")
    body = checked_text(text, "text", limit=TEXT_CHARS, required=True)
    with engine_for(course).begin() as db:
        if not settings(db, assignment, qid)[1]:
            raise ValueError(f"question {qid!r} is not published yet")
        is_open = db.execute(select(regrade_requests.c.id).where(and_(
            _of(assignment, qid, student), regrade_requests.c.status == "open"))).first()
        if is_open:
            raise AlreadyOpen(f"you have an open regrade request for {qid!r}")
        new_id = db.execute(insert(regrade_requests).values(
            assignment=assignment, question=qid, student=student, text=body,
            filed_at=_now(), status="open")).inserted_primary_key[0]
        return _json(db.execute(select(regrade_requests).where(
            regrade_requests.c.id == new_id)).first())


def answer_regrade(course, assignment, qid, student, *, reply, by) -> dict:
    """Answer the student's open request; KeyError when there is none."""
    question(course, assignment, qid)
    body = checked_text(reply, "reply", limit=TEXT_CHARS, required=True)
    where = and_(_of(assignment, qid, student), regrade_requests.c.status == "open")
    with engine_for(course).begin() as db:
        found = db.execute(select(regrade_requests).where(where)).first()
        if found is None:
            raise KeyError(f"{student} has no open regrade request for {qid!r}")
        db.execute(update(regrade_requests).where(regrade_requests.c.id == found.id).values(
            reply=body, replied_by=by, replied_at=_now(), status="answered"))
        return _json(db.execute(select(regrade_requests).where(
            regrade_requests.c.id == found.id)).first())


def regrades(course, assignment, qid=None, student=None) -> list:
    """Requests of the assignment (of one question, of one student), oldest first."""
    query = select(regrade_requests).where(regrade_requests.c.assignment == assignment)
    if qid is not None:
        question(course, assignment, qid)
        query = query.where(regrade_requests.c.question == qid)
    if student is not None:
        query = query.where(regrade_requests.c.student == student)
    with engine_for(course).connect() as db:
        return [_json(r) for r in db.execute(query.order_by(regrade_requests.c.id))]
