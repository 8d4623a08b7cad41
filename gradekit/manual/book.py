"""Human grading, the one entry point of the pages and the API: questions and their
answers by group, rubric grading of one answer or a whole group, publishing, what a
student sees, grading progress and totals.  Rubrics (rubrics.py) and regrade requests
(regrades.py) are importable from here too.
"""
import json
from datetime import datetime, timezone

from sqlalchemy import and_, insert, update

from ..attempts.database import engine_for, manual_grades
from ..attempts.users import all_users
from . import ledger
from .grouping import groups, groups_of, move_out
from .questions import question, questions as listed
from .regrades import AlreadyOpen, answer_regrade, file_regrade, regrades
from .rubrics import (add_item, edit_item, export_rubrics, import_rubrics, rubric,
                      set_question, set_scoring)
from .scoring import number as finite, score, text as checked_text
from .state import answers, counted_rows, items, settings

COMMENT_CHARS = 5000
__all__ = ["AlreadyOpen", "add_item", "answer_regrade", "answer_rows", "edit_item",
           "export_rubrics", "feedback", "file_regrade", "grade", "grade_group",
           "grouped_answers", "groups",
           "import_rubrics", "manual_totals", "move_out", "progress", "publish",
           "question_rows", "regrades", "rubric", "set_scoring"]


def question_rows(course, assignment) -> list:
    """[{"id", "kind", "max_score", "graded", "ungraded", "published"}] (the pinned rows)."""
    return [{key: row[key] for key in ("id", "kind", "max_score", "graded", "ungraded",
                                       "published")} for row in progress(course, assignment)]


def progress(course, assignment) -> list:
    """Per question: id, kind, title, max_score, graded and ungraded answers, published,
    open regrade requests (the dashboard's progress)."""
    table, open_requests = [], {}
    for request in regrades(course, assignment):
        if request["status"] == "open":
            open_requests[request["question"]] = open_requests.get(request["question"], 0) + 1
    asked, rows = listed(course, assignment), counted_rows(course, assignment)
    with engine_for(course).connect() as db:
        published = {q.id: settings(db, assignment, q.id)[1] for q in asked}
    for q in asked:
        found = answers(course, assignment, q, rows=rows).values()
        graded = sum(a.grade is not None for a in found)
        table.append({"id": q.id, "kind": q.kind, "title": q.title, "max_score": q.max_score,
                      "graded": graded, "ungraded": len(found) - graded,
                      "published": published[q.id], "regrades_open": open_requests.get(q.id, 0)})
    return table


def answer_rows(course, assignment, qid, *, names=True) -> list:
    """Every counted answer to `qid` in group order (the pinned rows), with "outlier",
    "history" (the other grades given) and, unless anonymous, the student's "name"."""
    return grouped_answers(course, assignment, qid, names=names)[0]


def grouped_answers(course, assignment, qid, *, names=True) -> tuple:
    """(answer_rows, the groups they are in) from one reading of the answers."""
    q = question(course, assignment, qid)
    found = answers(course, assignment, q)
    known = {user.id: user.name for user in all_users(course)} if names else {}
    rows, grouped = [], groups_of(course, assignment, q, found)
    for group in grouped:
        for student in group.members:
            answer, grade_ = found[student], found[student].grade or {}
            row = {"student": student, "attempt": answer.attempt, "answer": answer.text,
                   "group": group.number, "score": grade_.get("score"),
                   "rubric": grade_.get("rubric", []), "adjust": grade_.get("adjust", 0.0),
                   "comment": grade_.get("comment", ""), "outlier": student in group.outliers,
                   "history": answer.history}
            if names:
                row["name"] = known.get(student) or student
            rows.append(row)
    return rows, grouped


def _store(course, assignment, q, targets, rubric_ids, adjust, comment, by) -> float:
    """Give every Answer in `targets` the same grade (one transaction); returns its score."""
    adjust = finite(adjust, "adjust")
    comment = checked_text(comment, "comment", limit=COMMENT_CHARS)
    if not isinstance(rubric_ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in rubric_ids):
        raise ValueError("rubric must be a list of item ids")
    now = datetime.now(timezone.utc).isoformat()
    with engine_for(course).begin() as db:
        by_id = {item["id"]: item for item in items(db, assignment, q.id)}
        unknown = [i for i in rubric_ids if i not in by_id]
        if unknown:
            raise ValueError(f"question {q.id!r} has no rubric item {unknown[0]}")
        rubric_ids = list(dict.fromkeys(rubric_ids))   # an item applies once
        for answer in targets:
            db.execute(update(manual_grades).where(and_(
                manual_grades.c.assignment == assignment, manual_grades.c.question == q.id,
                manual_grades.c.student == answer.student)).values(current=False))
            db.execute(insert(manual_grades).values(
                assignment=assignment, question=q.id, student=answer.student,
                attempt=answer.attempt, answer_sha256=answer.digest,
                items=json.dumps(rubric_ids), adjust=adjust, comment=comment,
                graded_by=by, graded_at=now, current=True))
        scoring = settings(db, assignment, q.id)[0]
    return score(scoring, q.max_score, [by_id[i]["points"] for i in rubric_ids], adjust)


def grade(course, assignment, qid, student, *, rubric, adjust=0.0, comment="", by) -> float:
    """Grade the student's counted answer to `qid`; returns its score."""
    q = question(course, assignment, qid)
    found = answers(course, assignment, q, student)
    if student not in found:
        raise KeyError(f"{student} has no counted attempt of {assignment}")
    given = _store(course, assignment, q, [found[student]], rubric, adjust, comment, by)
    ledger.sync(course, assignment, student)
    return given


def grade_group(course, assignment, qid, number, *, rubric, adjust=0.0, comment="",
                by) -> int:
    """Grade every ungraded member of group `number` alike; returns how many."""
    q = question(course, assignment, qid)
    found = answers(course, assignment, q)
    group = next((g for g in groups_of(course, assignment, q, found)
                  if g.number == number), None)
    if group is None:
        raise KeyError(f"question {qid!r} has no group {number}")
    targets = [found[s] for s in group.members if found[s].grade is None]
    _store(course, assignment, q, targets, rubric, adjust, comment, by)
    if targets:
        ledger.sync(course, assignment)
    return len(targets)


def publish(course, assignment, questions=None) -> None:
    """Show the grades of these questions (default: all) to the students."""
    chosen = [q.id for q in listed(course, assignment)] if questions is None else \
        [question(course, assignment, qid).id for qid in questions]
    for qid in chosen:
        set_question(course, assignment, qid, published=True)


def feedback(course, assignment, student) -> list:
    """The student's grades of the published questions, as the API's "manual" list: score
    (None while ungraded), max_score, the items applied (title, points), the comment."""
    shown, rows = [], counted_rows(course, assignment, student)
    for q in listed(course, assignment):
        with engine_for(course).connect() as db:
            if not settings(db, assignment, q.id)[1]:
                continue
            by_id = {item["id"]: item for item in items(db, assignment, q.id)}
        answer = answers(course, assignment, q, student, rows=rows).get(student)
        if answer is None:
            continue
        given = answer.grade or {}
        shown.append({"question": q.id, "score": given.get("score"),
                      "max_score": q.max_score,
                      "rubric": [{"title": by_id[i]["title"], "points": by_id[i]["points"]}
                                 for i in given.get("rubric", [])],
                      "comment": given.get("comment", "")})
    return shown


def manual_totals(course, assignment) -> dict:
    """{student: manual_score}: the sum of the human grades that apply to each student with
    a counted attempt (ungraded questions count 0, as in nbgrader's gradebook); the most it
    can be is questions.manual_max."""
    return {student: round(sum(s for s in cells.values() if s is not None), 4)
            for student, cells in ledger.cell_scores(course, assignment).items()}
