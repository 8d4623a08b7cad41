"""Warm transport: the client of `gradekit serve` (commands/serve.py is the other end).

The server listens on <course>/.gradekit/<assignment>.sock (mode 0600 in a 0700 folder, so
only the course owner can submit): one JSON line in, a job (jobs.py); one JSON line out,
{"result": ...} or {"error": "..."}.  Standard library only: a warm `gradekit upload` client
costs ~0.1 s, not the ~2 s of importing the graders' libraries.
"""
import json
import os
import socket
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ..course.layout import Course
from .jobs import GradeJob, Grader, UploadJob, from_wire, job_to_wire

TIMEOUT_S = 600.0
OUTCOME_KEYS = {"code", "json", "text"}   # what a whole upload answers (attempts/receive.py)


def socket_path(course, assignment):
    return course.root / ".gradekit" / f"{assignment}.sock"


def is_running(course_root, assignment) -> bool:
    """True when a warm server answers on the assignment's socket."""
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.connect(str(socket_path(Course(course_root), assignment)))
        return True
    except OSError:
        return False


def connect(course, assignment, fallback):
    """A WarmGrader when a server answers for the assignment, else None."""
    return WarmGrader(course, assignment, fallback) if is_running(course.root, assignment) \
        else None


def send(course, job, timeout=TIMEOUT_S):
    """One job to the running server: the answer's result, or None when none runs or it failed."""
    try:
        connection = socket.socket(socket.AF_UNIX)
        connection.settimeout(timeout)
        connection.connect(str(socket_path(course, job.assignment)))
    except OSError:
        return None
    with connection, connection.makefile("rwb") as stream:
        stream.write(json.dumps(job_to_wire(job)).encode() + b"\n")
        stream.flush()
        answer = json.loads(stream.readline() or b"{}")
    return answer.get("result")


def grade_remote(course, job, timeout=TIMEOUT_S):
    """A GradeJob graded by the running server; None when none runs or it failed."""
    result = send(course, job, timeout)
    return from_wire(result) if result is not None else None


def upload_remote(course, job, timeout=TIMEOUT_S):
    """An UploadJob done by the running server: {"code", "json", "text"}, or None."""
    outcome = send(course, job, timeout)
    if not isinstance(outcome, dict) or not OUTCOME_KEYS <= outcome.keys():
        return None   # no server, a failed one, or one of another version
    return outcome


class WarmGrader(Grader):
    """Grades through a running server; what it cannot grade, `fallback` grades."""

    transport = "warm"

    def __init__(self, course, assignment, fallback):
        super().__init__(course, assignment)
        self.fallback = fallback

    def grade(self, filename, data, *, loaded=None, **identity):
        result = grade_remote(self.course, GradeJob(self.assignment, filename, data, **identity))
        if result is None:
            return self.fallback.grade(filename, data, loaded=loaded, **identity)
        return result

    def grade_many(self, paths, jobs=None):
        """Several requests in flight (the server spreads them over its workers)."""
        paths = list(paths)
        with ThreadPoolExecutor(max(1, jobs or os.cpu_count() or 1)) as threads:
            futures = {threads.submit(self._grade_path, path): i for i, path in enumerate(paths)}
            for future in as_completed(futures):
                index, result = futures[future], future.result()
                if result is None:   # the server went away or failed: grade this one here
                    result = next(iter(self.fallback.grade_many([paths[index]])))[1]
                yield index, result

    def _grade_path(self, path):
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None   # the fallback reports it in the usual words
        return grade_remote(self.course, GradeJob(self.assignment, Path(path).name, data))

    def upload(self, student, filename, data):
        outcome = upload_remote(self.course, UploadJob(self.assignment, student, filename, data))
        if outcome is not None:
            return outcome
        # done here instead; its grading still tries the server first, as before
        return self.fallback.upload(student, filename, data, grader=self)
