"""Grade many submissions on several cores: one long-lived grading process per job slot.

Grading is not thread-safe (pytest keeps global state), so parallelism is by process.  Each
worker imports the graders' libraries once; every submission still gets a fresh sandbox.
"""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..attempts.states import Status
from ..course.layout import Course
from .results import GradingResult


def _warm_up(preload):
    """Pay the trusted side's imports once per worker, not once per submission (the graders
    use the libraries the assignment preloads in its sandbox, too)."""
    import importlib

    import numpy  # noqa: F401
    import pytest  # noqa: F401
    for name in preload:
        importlib.import_module(name)


def _grade_one(root, assignment, path, limits):
    from .run import grade_path
    try:
        return grade_path(Course(root), assignment, path, **limits)
    except RuntimeError as exc:   # infrastructure failure: reported, the batch goes on
        return GradingResult(assignment, Status.ERROR, error=str(exc),
                             submission={"filename": os.path.basename(str(path))})


def grade_many(course: Course, assignment: str, paths, *, jobs=None, **limits):
    """Yield (index, GradingResult) for each path as gradings finish, `jobs` at a time."""
    paths = list(paths)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    context = multiprocessing.get_context("spawn")   # no fork of a threaded parent
    preload = course.settings(assignment).preload
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm_up,
                             initargs=(preload,)) as pool:
        futures = {pool.submit(_grade_one, str(course.root), assignment, str(p), limits): i
                   for i, p in enumerate(paths)}
        for future in as_completed(futures):
            yield futures[future], future.result()
