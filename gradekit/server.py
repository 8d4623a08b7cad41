"""Warm mode: `gradekit serve ASSIGNMENT --workers N` keeps graders and sandboxes warm.

Each worker process has pytest, numpy, scikit-learn and the graders imported, and its own
zygote (a pre-imported sandbox interpreter) that forks one confined child per submission.
`gradekit upload` and `gradekit autograde` send their work here while the server runs and
grade cold otherwise.  The socket lives in <course>/.gradekit/ (mode 0700): only the course
owner can submit, and only file bytes go in and plain results come out.
"""
import base64
import json
import multiprocessing
import os
import signal
import socket
import socketserver
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .course import Course

# Only the standard library at import time: `gradekit upload` imports this module first and,
# when a server runs, needs nothing else (the warm path's client costs ~0.1 s, not ~2 s).

_zygote = None   # the worker process's ZygoteStart


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


# -- the wire: GradingResult <-> JSON (both ends trusted; arrays tagged, never pickled) -----
def to_wire(result):
    data = dict(vars(result), tests=[vars(t) for t in result.tests])
    data["artifacts"] = _encode(result.artifacts)
    return data


def _encode(value):
    from .sandbox import codec
    if isinstance(value, codec.np.ndarray):
        return codec.encode_input(value)
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    from .sandbox import codec
    if isinstance(value, dict) and "__ndarray__" in value:
        return codec.decode_input(value)
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def from_wire(data):
    from .grading.results import GradingResult, TestResult
    data = dict(data)
    tests = [TestResult(**t) for t in data.pop("tests")]
    artifacts = _decode(data.pop("artifacts"))
    return GradingResult(**data, tests=tests, artifacts=artifacts)


# -- worker side ------------------------------------------------------------------------------
def _start_worker(root, assignment):
    """Import everything once and start this worker's zygote; grade the stub to warm pytest."""
    global _zygote
    import ctypes
    import signal
    # A worker must not outlive its server, even one killed with SIGKILL (its zygote follows
    # it: bubblewrap runs with --die-with-parent).
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)   # PR_SET_PDEATHSIG
    from .sandbox.starters import ZygoteStart
    _zygote = ZygoteStart(preload=Course(root).settings(assignment).preload)
    import nbgrader.api  # noqa: F401  (the upload path: gradebook, feedback pages)
    from . import feedback, upload  # noqa: F401
    stub = Course(root).release_dir(assignment) / f"{assignment}.ipynb"
    if stub.exists():
        _grade(root, assignment, stub.name, stub.read_bytes())


def _grade(root, assignment, filename, data):
    global _zygote
    from .grading.run import grade_bytes
    from .sandbox.starters import ZygoteStart
    if _zygote.process.poll() is not None:   # the zygote died: start a new one
        _zygote = ZygoteStart(preload=Course(root).settings(assignment).preload)
    return to_wire(grade_bytes(Course(root), assignment, filename, data, starter=_zygote))


def _upload(root, assignment, student, filename, data):
    """The whole BRUTE-style upload inside the warm worker (archive, grade, record, report)."""
    from .upload import upload
    return upload(Course(root), assignment, student, filename, data, starter=_zygote)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline()
        if not line.strip():   # is_running() only connects to see that we are here
            return
        request = json.loads(line)
        root, data = str(self.server.course.root), base64.b64decode(request["data"])
        if request.get("op") == "upload":
            future = self.server.pool.submit(_upload, root, self.server.assignment,
                                             request["student"], request["filename"], data)
        else:
            future = self.server.pool.submit(_grade, root, self.server.assignment,
                                             request["filename"], data)
        try:
            answer = {"result": future.result()}
        except Exception as exc:   # reported to the client, which then grades cold
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


# -- client side ------------------------------------------------------------------------------
def _ask(course, assignment, request, timeout):
    """One request to a running server: its result, or None when none runs or it failed."""
    try:
        connection = socket.socket(socket.AF_UNIX)
        connection.settimeout(timeout)
        connection.connect(str(socket_path(course, assignment)))
    except OSError:
        return None
    with connection, connection.makefile("rwb") as stream:
        stream.write(json.dumps(request).encode() + b"\n")
        stream.flush()
        answer = json.loads(stream.readline() or b"{}")
    return answer.get("result")


def grade_remote(course, assignment, filename, data, timeout=600.0):
    """Grade through a running server; None when none runs (the caller grades cold)."""
    result = _ask(course, assignment, {"op": "grade", "filename": filename,
                                       "data": base64.b64encode(data).decode()}, timeout)
    return from_wire(result) if result is not None else None


def upload_remote(course, assignment, student, filename, data, timeout=600.0):
    """The whole upload done by a running server: {"code", "json", "text"}, or None."""
    return _ask(course, assignment, {"op": "upload", "student": student, "filename": filename,
                                     "data": base64.b64encode(data).decode()}, timeout)


def try_upload(*, assignment, path, student, as_json, course_root=Path(".")):
    """`gradekit upload` through a running server; None when none runs (then done locally)."""
    course = Course(course_root)
    course.assignment(assignment)
    if not is_running(course.root, assignment):
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None   # the local path reports the error in the usual words
    outcome = upload_remote(course, assignment, student, Path(path).name, data)
    if not isinstance(outcome, dict) or not {"code", "json", "text"} <= outcome.keys():
        return None   # no server, a failed one, or one of another version: upload locally
    print(json.dumps(outcome["json"], indent=2) if as_json else outcome["text"])
    if outcome["code"] != 0:
        print(f"gradekit: {outcome['json'].get('error')}", file=sys.stderr)
    return outcome["code"]
