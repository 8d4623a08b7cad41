"""The students' plots, for grading a task question across the class.

Drawn on the trusted side from the plain numbers the graders kept for an attempt
(`<archive stem>.artifacts.json`, gradekit/attempts/artifacts.py), never by running student
code.  What belongs to which question is the assignment's: its feedback hook
(graders/<A>/feedback.py, see gradekit/reports/feedback.py) may add

    QUESTION_FIGURES = [(name, task cell grade_id, caption), ...]   # drawn by its draw()
    def features(question, artifacts, course_root) -> list[float] | None   # each in [0, 1]
    def reference_features(question, course_root) -> list[float]
    def describe(question, centre: list[float]) -> str   # a group's features in words

An assignment without them has no pictures and no features: its task questions are graded
from the notebook alone.
"""
import logging
from functools import lru_cache
from pathlib import Path

from ..attempts import artifacts
from ..attempts.storage import beside
from ..course.layout import Course
from ..reports.feedback import draw_figures, hook

log = logging.getLogger("gradekit.manual")


def pictures(course, row, question) -> list[tuple[str, bytes]]:
    """(caption, PNG) of each picture of task `question` for the attempt `row` that could be
    drawn; [] when none (nothing kept, or the question has no pictures)."""
    path = beside(course, row.archive, artifacts.SUFFIX)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return []
    return list(_pictures(str(course.root), row.assignment, str(path), stamp, question.id))


@lru_cache(maxsize=256)   # a grader pages back and forth: draw each attempt's pictures once
def _pictures(root, assignment, path, _stamp, qid):
    course = Course(root)
    module = hook(course, assignment)
    figures = [f for f in getattr(module, "QUESTION_FIGURES", ()) if f[1] == qid]
    kept = artifacts.read(Path(path)) if figures else None
    if kept is None:
        return ()
    return tuple((p.caption, p.png) for p in draw_figures(module, figures, kept, course)
                 if p.png)


def plot_features(course, row, question) -> list[float] | None:
    """What the pictures of task `question` show for the attempt `row` (the hook's features,
    each in [0, 1]); None when there is nothing to draw."""
    module = hook(course, row.assignment)
    if not hasattr(module, "features"):
        return None
    kept = artifacts.read(beside(course, row.archive, artifacts.SUFFIX))
    if kept is None:
        return None
    try:
        found = module.features(question.id, kept, str(course.root))
    except Exception:   # the numbers came from student code: junk must not stop the class
        log.warning("features of %s for %s could not be computed", question.id, row.archive,
                    exc_info=True)
        return None
    return None if found is None else [float(value) for value in found]


def reference_features(course, assignment, question) -> list[float]:
    """The features of the reference's own pictures ([] without them): groups are ordered by
    their distance to these."""
    module = hook(course, assignment)
    if not hasattr(module, "reference_features"):
        return []
    return [float(value) for value in module.reference_features(question.id, str(course.root))
            or ()]


def describer(course, assignment, question):
    """describe(centre) -> words for gradekit.manual.groups.group_vectors, or None."""
    module = hook(course, assignment)
    if not hasattr(module, "describe"):
        return None
    return lambda centre: module.describe(question.id, centre)

