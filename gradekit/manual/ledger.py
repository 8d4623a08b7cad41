"""Human grades in nbgrader's gradebook: the manual score of each question's cell, so that
`nbgrader export`, formgrader and `gradekit export` agree with the service.

Written after every change that can move a score (a grade, an item's points, the scoring)
and whenever a counted attempt is recorded (its answer may have changed: then the cell
needs grading again and its manual score is cleared).
"""
from sqlalchemy import and_, exists, select

from ..attempts.database import engine_for, manual_grades
from ..attempts.gradebook import record_manual
from .questions import questions
from .state import answers, counted_rows


def cell_scores(course, assignment, student=None, *, graded_only=False) -> dict:
    """{student: {grade_id: score or None}} of every student with a counted attempt;
    graded_only: only the questions the service ever graded for that student."""
    table, rows = {}, counted_rows(course, assignment, student)
    for question in questions(course, assignment):
        for name, answer in answers(course, assignment, question, student, rows=rows).items():
            if graded_only and not (answer.grade or answer.history):
                continue
            table.setdefault(name, {})[question.id] = \
                answer.grade["score"] if answer.grade else None
    return table


def sync(course, assignment, student=None):
    """Write the current human grades (of one student, or all) into the gradebook.  Cells
    the service never graded for a student keep what nbgrader put there (a blank answer's
    0, a formgrader grade)."""
    table = cell_scores(course, assignment, student, graded_only=True)
    if table:
        record_manual(course, assignment, table)


def sync_recorded(course, assignment, student):
    """After a counted attempt is recorded: sync that student, if anyone ever graded them
    (one query otherwise, so recording an attempt costs nothing more)."""
    query = select(exists().where(and_(manual_grades.c.assignment == assignment,
                                       manual_grades.c.student == student)))
    with engine_for(course).connect() as db:
        if db.execute(query).scalar():
            sync(course, assignment, student)
