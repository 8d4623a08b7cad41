"""Rubrics: per question its scoring and items (title, description, points, position), and
their JSON export and import to reuse them next year.

An item's points count as they are now in every grade that applies it (scoring.py), so an
edit rescores all of them at once; the gradebook is written again in the same call.
"""
from sqlalchemy import and_, func, insert, select, update

from ..attempts.database import engine_for, manual_questions, rubric_items
from . import ledger
from .questions import question, questions
from .scoring import DEFAULT_SCORING, SCORINGS, number, text
from .state import items, settings

TITLE_CHARS, DESCRIPTION_CHARS = 200, 2000
EDITABLE = ("title", "points", "description", "position")


def rubric(course, assignment, qid) -> dict:
    """{"scoring", "items": [{"id", "title", "points", "description"}]} of a question."""
    question(course, assignment, qid)
    with engine_for(course).connect() as db:
        return {"scoring": settings(db, assignment, qid)[0], "items": items(db, assignment, qid)}


def _checked(changes):
    checked = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValueError(f"unknown field {key!r}: an item has {', '.join(EDITABLE)}")
        if key == "title":
            checked[key] = text(value, "title", limit=TITLE_CHARS, required=True)
        elif key == "description":
            checked[key] = text(value, "description", limit=DESCRIPTION_CHARS)
        elif key == "points":
            checked[key] = number(value, "points")
        else:
            checked[key] = int(number(value, "position"))
    return checked


def add_item(course, assignment, qid, *, title, points, description="") -> dict:
    """Add an item at the end of the question's rubric; returns it with its new id."""
    question(course, assignment, qid)
    values = _checked({"title": title, "points": points, "description": description})
    where = and_(rubric_items.c.assignment == assignment, rubric_items.c.question == qid)
    with engine_for(course).begin() as db:
        last = db.execute(select(func.max(rubric_items.c.position)).where(where)).scalar()
        new_id = db.execute(insert(rubric_items).values(
            assignment=assignment, question=qid, position=(last or 0) + 1,
            **values)).inserted_primary_key[0]
    return {"id": new_id, "title": values["title"], "points": values["points"],
            "description": values["description"]}


def edit_item(course, assignment, qid, item_id, **changes) -> dict:
    """Change an item's title, points, description or position; every grade using it is
    rescored (and written to the gradebook) at once.  KeyError for an unknown item."""
    question(course, assignment, qid)
    found = _edit(course, assignment, qid, item_id, _checked(changes))
    if "points" in changes:
        ledger.sync(course, assignment)
    return found


def _edit(course, assignment, qid, item_id, values):
    where = and_(rubric_items.c.id == item_id, rubric_items.c.assignment == assignment,
                 rubric_items.c.question == qid)
    with engine_for(course).begin() as db:
        if db.execute(select(rubric_items.c.id).where(where)).first() is None:
            raise KeyError(f"no rubric item {item_id} in question {qid!r}")
        if values:
            db.execute(update(rubric_items).where(where).values(**values))
        return next(i for i in items(db, assignment, qid) if i["id"] == item_id)


def set_scoring(course, assignment, qid, scoring) -> None:
    """"negative" (start from the maximum) or "positive" (start from 0); rescores."""
    question(course, assignment, qid)
    if scoring not in SCORINGS:
        raise ValueError("scoring must be 'negative' or 'positive'")
    set_question(course, assignment, qid, scoring=scoring)
    ledger.sync(course, assignment)


def set_question(course, assignment, qid, **values):
    """Update a question's settings row, made with the defaults first when missing."""
    where = and_(manual_questions.c.assignment == assignment,
                 manual_questions.c.question == qid)
    with engine_for(course).begin() as db:
        scoring, published = settings(db, assignment, qid)
        if not db.execute(update(manual_questions).where(where).values(**values)).rowcount:
            db.execute(insert(manual_questions).values(
                **{"assignment": assignment, "question": qid, "scoring": scoring,
                   "published": published, **values}))


def export_rubrics(course, assignment) -> dict:
    """Every question's rubric, without ids: {"assignment", "questions": {id: rubric}}."""
    found = {}
    for q in questions(course, assignment):
        current = rubric(course, assignment, q.id)
        found[q.id] = {"scoring": current["scoring"], "items": [
            {k: item[k] for k in ("title", "points", "description")}
            for item in current["items"]]}
    return {"assignment": assignment, "questions": found}


def import_rubrics(course, assignment, data) -> None:
    """Merge exported rubrics in: each question's scoring is set, items of the same title
    take the new points and description, the others are added.  Nothing is deleted (grades
    refer to items).  The whole input is checked before anything is written."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
        raise ValueError('rubrics must be {"questions": {question id: rubric}}')
    known = {q.id for q in questions(course, assignment)}
    unknown = sorted(set(data["questions"]) - known)
    if unknown:
        raise ValueError(f"{assignment} has no question {unknown[0]!r}")
    plan = {}
    for qid, given in data["questions"].items():
        if not isinstance(given, dict) or not isinstance(given.get("items", []), list):
            raise ValueError(f"{qid}: a rubric is {{\"scoring\", \"items\": [...]}}")
        scoring = given.get("scoring", DEFAULT_SCORING)
        if scoring not in SCORINGS:
            raise ValueError(f"{qid}: scoring must be 'negative' or 'positive'")
        if not all(isinstance(item, dict) for item in given.get("items", [])):
            raise ValueError(f"{qid}: an item is {{\"title\", \"points\", \"description\"}}")
        entries = [_checked({"title": item.get("title"), "points": item.get("points"),
                             "description": item.get("description", "")})
                   for item in given.get("items", [])]
        plan[qid] = (scoring, entries)
    for qid, (scoring, entries) in plan.items():
        set_question(course, assignment, qid, scoring=scoring)
        present = {item["title"]: item["id"] for item in rubric(course, assignment, qid)["items"]}
        for entry in entries:
            if entry["title"] in present:
                _edit(course, assignment, qid, present[entry["title"]],
                      {"points": entry["points"], "description": entry["description"]})
            else:
                add_item(course, assignment, qid, **entry)
    ledger.sync(course, assignment)
