"""Where the grading of one question stands: each student's counted answer and the grade
that applies to it.

A grade belongs to the answer it judged: it holds that answer's digest, and applies to a
student only while their counted attempt (the course policy decides which) has an answer
with the same digest.  An identical answer in a newer counted attempt keeps its grade; a
changed one needs grading again, its earlier grades kept as history.
"""
import json
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from ..attempts import table as attempts
from ..attempts.database import engine_for, manual_grades, manual_questions, rubric_items
from ..attempts.states import Status
from ..course.config import load_policy
from .questions import answer_digest, answer_text
from .scoring import DEFAULT_SCORING, score


@dataclass
class Answer:
    """A student's answer to one question in their counted attempt, and its grading."""

    student: str
    attempt: int
    text: str                # "" for tasks and blanks
    digest: str              # what a grade of it is tied to (questions.answer_digest)
    row: object = None       # the counted attempt's row (attempts.table.Attempt)
    grade: dict | None = None                      # the grade that applies (grade_json)
    history: list = field(default_factory=list)   # every other grade given, newest first


def counted_rows(course, assignment, student=None) -> dict:
    """{student: their counted attempt row}, students sorted (those with none left out)."""
    policy = load_policy(course, assignment)
    by_student = {}
    for row in attempts.listing(course, assignment, student, status=(Status.GRADED,)):
        by_student.setdefault(row.student, []).append(row)
    found = {s: policy.counted(rows) for s, rows in sorted(by_student.items())}
    return {s: row for s, row in found.items() if row is not None}


def settings(db, assignment, qid) -> tuple:
    """(scoring, published) of a question; the defaults until it is set."""
    found = db.execute(select(manual_questions).where(and_(
        manual_questions.c.assignment == assignment,
        manual_questions.c.question == qid))).first()
    return (found.scoring, bool(found.published)) if found else (DEFAULT_SCORING, False)


def items(db, assignment, qid) -> list:
    """The question's rubric items in their order, as dicts."""
    query = select(rubric_items).where(and_(
        rubric_items.c.assignment == assignment, rubric_items.c.question == qid)
    ).order_by(rubric_items.c.position, rubric_items.c.id)
    return [{"id": r.id, "title": r.title, "points": r.points, "description": r.description}
            for r in db.execute(query)]


def grade_json(record, by_id, scoring, max_score) -> dict:
    """A stored grade as shown: its items, adjustment, comment, who and when, and its score
    under the rubric as it is now."""
    ids = [i for i in json.loads(record.items) if i in by_id]
    return {"attempt": record.attempt, "rubric": ids, "adjust": record.adjust,
            "comment": record.comment, "by": record.graded_by, "at": record.graded_at,
            "score": score(scoring, max_score, [by_id[i]["points"] for i in ids],
                           record.adjust)}


def answers(course, assignment, question, student=None, *, rows=None) -> dict:
    """{student: Answer} for every student with a counted attempt (or just `student`);
    `rows`: counted_rows(course, assignment, student) when the caller has them already
    (one question after another: the counted attempts are the same for all)."""
    rows = counted_rows(course, assignment, student) if rows is None else rows
    found = {s: Answer(s, row.number, answer_text(course, row, question),
                       answer_digest(course, row, question), row) for s, row in rows.items()}
    query = select(manual_grades).where(and_(
        manual_grades.c.assignment == assignment, manual_grades.c.question == question.id)
    ).order_by(manual_grades.c.id.desc())
    if student is not None:
        query = query.where(manual_grades.c.student == student)
    with engine_for(course).connect() as db:
        scoring, _ = settings(db, assignment, question.id)
        by_id = {item["id"]: item for item in items(db, assignment, question.id)}
        records = list(db.execute(query))
    for record in records:   # newest first: the newest grade of the same answer applies
        answer = found.get(record.student)
        if answer is None:
            continue
        shown = grade_json(record, by_id, scoring, question.max_score)
        if answer.grade is None and record.answer_sha256 == answer.digest:
            answer.grade = shown
        else:
            answer.history.append(shown)
    return found
