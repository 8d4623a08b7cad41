"""Warm mode: `gradekit serve ASSIGNMENT --workers N` keeps graders and sandboxes warm.

Each worker process has pytest, numpy, scikit-learn and the graders imported, and its own
zygote (a pre-imported sandbox interpreter) that forks one confined child per submission.
This is the far end of the warm transport (gradekit/dispatch/warm.py): while the server
runs, every grading that goes through gradekit.dispatch comes here, and `gradekit upload`
sends the whole upload.  The socket lives in <course>/.gradekit/ (mode 0700): only the
course owner can submit, and only jobs (file bytes) go in and plain JSON results come out.
"""
import json
import multiprocessing
import os
import signal
import socketserver
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .course import Course
from .dispatch.jobs import GradeJob, job_from_wire
from .dispatch.local import run_job
from .dispatch.warm import is_running, socket_path

_zygote = None   # the worker process's ZygoteStart


# -- worker side ------------------------------------------------------------------------------
def _start_worker(root, assignment):
    """Import everything once and start this worker's zygote; grade the stub to warm pytest."""
    global _zygote
    import ctypes
    # A worker must not outlive its server, even one killed with SIGKILL (its zygote follows
    # it: bubblewrap runs with --die-with-parent).
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)   # PR_SET_PDEATHSIG
    from .sandbox.starters import ZygoteStart
    _zygote = ZygoteStart(preload=Course(root).settings(assignment).preload)
    import nbgrader.api  # noqa: F401  (the upload path: gradebook, feedback pages)
    from . import feedback, upload  # noqa: F401
    stub = Course(root).release_dir(assignment) / f"{assignment}.ipynb"
    if stub.exists():
        _run(root, GradeJob(assignment, stub.name, stub.read_bytes()))


def _run(root, job):
    """One job in this worker, on its zygote (a new one if the zygote died)."""
    global _zygote
    from .sandbox.starters import ZygoteStart
    if _zygote.process.poll() is not None:   # the zygote died: start a new one
        _zygote = ZygoteStart(preload=Course(root).settings(job.assignment).preload)
    return run_job(Course(root), job, starter=_zygote)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline()
        if not line.strip():   # is_running() only connects to see that we are here
            return
        try:
            job = job_from_wire({"assignment": self.server.assignment, **json.loads(line)})
            if job.assignment != self.server.assignment:
                raise ValueError(f"this server grades {self.server.assignment}, "
                                 f"not {job.assignment}")
            answer = {"result": self.server.pool.submit(
                _run, str(self.server.course.root), job).result()}
        except Exception as exc:   # reported to the client, which then grades locally
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


def main(*, assignment: str, workers: int | None = None, course_root: Path = Path(".")) -> int:
    """Serve warm gradings until interrupted."""
    course = Course(course_root)
    course.assignment(assignment)
    path = socket_path(course, assignment)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    if is_running(course.root, assignment):
        print(f"gradekit: a server for {assignment} is already running", file=sys.stderr)
        return 2
    path.unlink(missing_ok=True)
    workers = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(str(course.root), assignment)) as pool:
        # every worker warms up before the socket accepts work
        list(pool.map(_noop, range(workers)))
        server = socketserver.ThreadingUnixStreamServer(str(path), _Handler)
        server.pool, server.course, server.assignment = pool, course, assignment
        os.chmod(path, 0o600)
        print(f"gradekit: serving {assignment} with {workers} warm workers on {path}",
              flush=True)
        # SIGTERM ends the server like Ctrl-C, so the pool's workers are shut down with it
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            path.unlink(missing_ok=True)
    return 0


def _noop(_):
    return os.getpid()
