"""`gradekit worker [--concurrency N]`: grade the course's job queue on this host.

Run it on as many hosts as you like, from the course root (a shared folder, mounted at any
path): each is a Celery worker (dispatch/celery_app.py) whose N processes hold warm zygotes
exactly like `gradekit serve`'s, takes one job per process at a time from the broker that
gradekit.toml's [queue] names, and writes the course database ([database] url) and the
course folder.  It also runs the sweeper that enqueues attempts the queue lost.  Stop it
with SIGTERM or Ctrl-C: the jobs it runs finish first (a second signal stops it at once;
those jobs are then delivered again).
"""
import os
from pathlib import Path

from ..course.layout import Course, CourseError
from ..course.config import queue_settings


def main(*, concurrency: int | None = None, course_root: Path = Path(".")) -> int:
    course = Course(course_root)
    if not course.assignments():
        raise CourseError(f"{course.root} holds no assignment (run gradekit worker from the "
                          "course root)")
    settings = queue_settings(course)
    if settings is None:
        raise CourseError("no job queue: set [queue] broker = \"redis://HOST:PORT/DB\" in "
                          "gradekit.toml (or GRADEKIT_BROKER)")
    if concurrency is not None and concurrency < 1:
        raise CourseError("--concurrency must be at least 1")
    from ..dispatch.broker import BrokerQueue
    from ..dispatch.celery_app import run_worker
    return run_worker(course, settings, concurrency or os.cpu_count() or 1,
                      BrokerQueue(course, settings=settings))
