"""Warm grading worker processes: what `gradekit serve`, `gradekit web` and `gradekit worker` run.

Each worker process has pytest, numpy, the graders' libraries and the upload path imported,
and one zygote (a pre-imported sandbox interpreter) per assignment that forks one confined
child per submission.  Jobs arrive as jobs.py objects and leave as plain JSON (run_job).
"""
import functools
import logging
import multiprocessing
import os
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from ..course.layout import Course
from .jobs import GradeJob
from .local_grader import run_job

log = logging.getLogger("gradekit.workers")
_zygotes = {}   # this worker process's ZygoteStart per assignment


def start(root, assignments, die_with_parent=True):
    """Import everything once and start a zygote per assignment; grade each stub once so
    pytest and the graders are warm before the first student's job."""
    if die_with_parent:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    import nbgrader.api  # noqa: F401  (the upload path: gradebook, feedback pages)
    from ..reports import feedback
    from ..attempts import gradebook, record   # noqa: F401
    from ..grading import run as grading_run
    grading_run.keep_sessions()   # pytest configured and the graders collected once
    for assignment in assignments:
        # a course's first grade would otherwise wait for nbgrader to create the gradebook
        # and its assignment (~7 s); under the gradebook's lock, so workers take turns
        try:
            gradebook.ensure_assignment_locked(Course(root), assignment)
        except Exception as exc:   # noqa: BLE001  (the first grade tries again, and says why)
            log.warning("gradebook of %s not prepared: %s", assignment, exc)
        stub = Course(root).release_dir(assignment) / f"{assignment}.ipynb"
        if stub.exists():
            run(root, GradeJob(assignment, stub.name, stub.read_bytes()))


def _exit_with_parent(parent):
    """A worker must not outlive its parent, even one killed with SIGKILL (its zygotes follow
    it: bubblewrap runs with --die-with-parent).  Not PR_SET_PDEATHSIG: that fires when the
    parent's *thread* that started the worker ends, and the web service starts its workers
    from a short-lived thread."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def run(root, job):
    """One job in this worker, on the assignment's zygote (a new one if it died)."""
    from ..sandbox.starters import ZygoteStart
    zygote = _zygotes.get(job.assignment)
    if zygote is None or zygote.process.poll() is not None:
        zygote = _zygotes[job.assignment] = ZygoteStart(
            preload=Course(root).settings(job.assignment).preload)
    return run_job(Course(root), job, starter=functools.partial(_fork, zygote))


def _fork(zygote, limits):
    """A sandbox forked from the zygote; one that died (at start: a library the environment
    lacks) is our failure, said in the words of a cold start (SandboxError), not a broken
    socket, so the attempt is retried and then marked "error" like any other of ours."""
    try:
        return zygote(limits)
    except OSError as exc:
        from ..errors import SandboxError
        from ..sandbox.diagnose import why_not_started
        try:
            zygote.process.wait(timeout=5)   # its last words are in its log once it is gone
        except subprocess.TimeoutExpired:
            pass
        zygote.log.seek(0)
        tail = zygote.log.read()[-400:].decode(errors="replace")
        raise SandboxError(why_not_started(exc, tail)) from None


def pool(root, assignments, workers=None) -> ProcessPoolExecutor:
    """`workers` warm worker processes (default: one per core), warmed before it returns."""
    workers = workers or os.cpu_count() or 1
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start, initargs=(str(root), list(assignments)))
    warm(executor, workers)
    return executor


def _pid(_):
    return os.getpid()


def warm(executor, workers):
    """Start every worker now (each runs `start` first), not at the first job."""
    list(executor.map(_pid, range(workers)))
