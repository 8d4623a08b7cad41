"""The one seam that decides how an attempt is graded.

    grader = grader_for(course, assignment)
    result = grader.grade(filename, data)                 # one file's bytes -> GradingResult
    result = grader.grade_file(path)                      # a file on disk -> GradingResult
    for index, result in grader.grade_many(paths, jobs):  # a batch, as the gradings finish
        ...
    outcome = grader.upload(student, filename, data)      # a whole BRUTE-style upload

`gradekit grade`, `upload`, `autograde` and `audit` and nbgrader's SandboxedGrading all
grade through here; nothing else chooses a transport.  The transports:

  warm   a `gradekit serve` answering on the assignment's socket (warm_client.py;
         commands/serve.py is its other end), which also does whole uploads in its worker;
  local  this process for one attempt, a process pool for a batch (local_grader.py);
         always there;
  broker Celery workers on any number of hosts, when the course names a broker (broker.py,
         broker_grader.py, celery_app.py): uploads are queued for them, gradings go to
         them when one answers.

A remote transport gets the local one as its fallback: whatever it fails to grade (no
answer, an error, a server of another version) is graded here, as if it were not running.
A new transport (a job queue) is one module with a `connect(course, assignment, fallback)`
and one entry in REMOTE, nothing more: jobs and results cross it as plain JSON (jobs.py), and
its workers execute them with local_grader.run_job, as the warm server's workers do.

Standard library only at import time: with a server running, `gradekit upload` hands the
whole upload over without importing numpy, pytest or nbformat.
"""
from . import broker, broker_grader, warm_client
from ..course.config import queue_settings
from .jobs import Grader
from .local_grader import LocalGrader

# Tried in order: connect(course, assignment, fallback) -> a Grader if it answers, else None.
# A course that configures a broker grades through it (broker_grader.py), whatever runs here.
REMOTE = (broker_grader.connect, warm_client.connect)


def queue_for(course, workers=None):
    """Where received attempts are graded in the background (the web service): the course's
    broker and its workers on any host when one is configured (broker.BrokerQueue), else
    this host's warm workers (local_queue.LocalQueue)."""
    settings = queue_settings(course)
    if settings is not None:
        return broker.BrokerQueue(course, workers, settings=settings)
    from .local_queue import LocalQueue
    return LocalQueue(course, workers)


def grader_for(course, assignment) -> Grader:
    """How attempts of `assignment` are graded: the first remote transport that answers,
    else locally."""
    local = LocalGrader(course, assignment)
    for connect in REMOTE:
        grader = connect(course, assignment, fallback=local)
        if grader is not None:
            return grader
    return local
