"""Answer groups of a question as the grading view uses them: the grouping of the answers
(groups.py, cached per question and set of answers) with the instructor's moves applied.

A student moved out of their group forms a group alone, numbered after the others, and
stays out whatever their answer becomes.
"""
import threading

from sqlalchemy import and_, insert, select
from sqlalchemy.exc import IntegrityError

from ..attempts.database import engine_for, group_moves
from .groups import Group, group_texts, group_vectors
from .plots import describer, plot_features, reference_features
from .questions import question
from .state import answers

CACHED = 64   # (question, set of answers) groupings kept per process
_cache, _lock = {}, threading.Lock()


def groups_of(course, assignment, q, found) -> list:
    """The groups of question `q` given its answers {student: Answer} (state.answers)."""
    base = _grouping(course, assignment, q, found)
    with engine_for(course).connect() as db:
        moved = {r.student for r in db.execute(select(group_moves.c.student).where(and_(
            group_moves.c.assignment == assignment, group_moves.c.question == q.id)))}
    moved &= set(found)
    if not moved:
        return base
    kept = [Group(g.number, g.label, tuple(m for m in g.members if m not in moved),
                  tuple(m for m in g.outliers if m not in moved)) for g in base]
    kept = [g for g in kept if g.members]
    after = max((g.number for g in base), default=0) + 1
    return kept + [Group(after + i, "moved out", (student,), ())
                   for i, student in enumerate(sorted(moved))]


def _grouping(course, assignment, q, found):
    key = (str(course.root), assignment, q.id,
           tuple(sorted((s, a.digest) for s, a in found.items())))
    with _lock:
        if key in _cache:
            return _cache[key]
    if q.kind == "answer":
        made = group_texts({s: a.text for s, a in found.items()}, q.solution)
    else:
        made = group_vectors({s: plot_features(course, a.row, q) for s, a in found.items()},
                             reference_features(course, assignment, q),
                             describe=describer(course, assignment, q))
    with _lock:
        while len(_cache) >= CACHED:
            _cache.pop(next(iter(_cache)))
        _cache[key] = made
    return made


def groups(course, assignment, qid) -> list:
    """The groups of question `qid`: every student with a counted attempt in exactly one."""
    q = question(course, assignment, qid)
    return groups_of(course, assignment, q, answers(course, assignment, q))


def move_out(course, assignment, qid, student) -> None:
    """The student leaves their group (a group of their own); KeyError: no such student."""
    q = question(course, assignment, qid)
    if student not in answers(course, assignment, q, student):
        raise KeyError(f"{student} has no counted attempt of {assignment}")
    try:
        with engine_for(course).begin() as db:
            db.execute(insert(group_moves).values(assignment=assignment, question=qid,
                                                  student=student))
    except IntegrityError:   # moved out already
        pass
