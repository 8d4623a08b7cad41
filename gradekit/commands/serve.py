"""Warm mode: `gradekit serve ASSIGNMENT --workers N` keeps graders and sandboxes warm.

Each worker process has pytest, numpy, scikit-learn and the graders imported, and its own
zygote (a pre-imported sandbox interpreter) that forks one confined child per submission.
This is the far end of the warm transport (gradekit/dispatch/warm_client.py): while the server
runs, every grading that goes through gradekit.dispatch comes here, and `gradekit upload`
sends the whole upload.  The socket lives in <course>/.gradekit/ (mode 0700): only the
course owner can submit, and only jobs (file bytes) go in and plain JSON results come out.
"""
import json
import os
import signal
import socketserver
import sys
from pathlib import Path

from ..course.layout import Course
from ..dispatch import warm_workers
from ..dispatch.jobs import job_from_wire
from ..dispatch.warm_client import is_running, socket_path
from ..errors import Exit

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
                warm_workers.run, str(self.server.course.root), job).result()}
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
        return Exit.USAGE
    path.unlink(missing_ok=True)
    workers = workers or os.cpu_count() or 1
    with warm_workers.pool(course.root, [assignment], workers) as pool:
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
    return Exit.DONE

