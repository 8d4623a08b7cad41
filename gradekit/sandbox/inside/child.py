"""The untrusted side: defines a submission's names, then answers one call at a time.

Runs as its own interpreter (`python -I child.py SETTINGS`) inside the sandbox.  It imports
nothing from the course: only this folder is visible to it.  Requests and answers are JSON
lines on two inherited pipes; everything the student prints is captured per request.
"""
import io
import json
import os
import random
import signal
import socket
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confine  # noqa: E402  (our own sibling module, found via the line above)
from ipython_shim import FakeIPython  # noqa: E402


def broken(exc):
    """This environment lacks a library: say so on our log (the grader reads it), then exit."""
    name = getattr(exc, "name", None) or "a required library"
    sys.stderr.write(f"gradekit-sandbox-broken: cannot import {name}: {exc}\n")
    sys.stderr.flush()
    os._exit(70)


try:
    import codec  # noqa: E402  (numpy: the first library a broken environment lacks)
except ImportError as exc:
    broken(exc)

OUTPUT_LIMIT = 4000


class CappedText(io.TextIOBase):
    """A stdout/stderr stand-in that keeps the first OUTPUT_LIMIT characters only."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = OUTPUT_LIMIT - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


class Missing(LookupError):
    """The submission does not define a name the grader asked for."""


def describe(exc):
    """One line naming an exception and where in the student's code it happened."""
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not frame.filename.startswith(os.path.dirname(os.path.abspath(__file__))):
            where = f" ({frame.filename}, line {frame.lineno})"
            break
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}{where}"


class Child:
    def __init__(self, requests_fd, answers_fd, forks_fd=None, level=()):
        self.inbox = os.fdopen(requests_fd, "rb")
        self.outbox = os.fdopen(answers_fd, "wb")
        # where the pipe ends of check forks arrive (see op_fork); None: this is a fork
        self.forks = socket.socket(fileno=forks_fd) if forks_fd is not None else None
        self.level = list(level)
        self.forked = []    # pids of our check forks, reaped here (SIGCHLD stays the student's)
        self.ns = {"__name__": "__main__", "__builtins__": __builtins__}
        self.ns["get_ipython"] = lambda: FakeIPython(self.ns)
        self.captured = CappedText()

    def send(self, message):
        self.outbox.write(json.dumps(message, allow_nan=True).encode() + b"\n")
        self.outbox.flush()

    def run_student(self, thunk):
        """Run student code with output captured; returns (value, (kind, message) or None)."""
        sys.stdout = sys.stderr = self.captured
        random.seed(0)
        codec.np.random.seed(0)  # unseeded student code still grades the same every run
        try:
            return thunk(), None
        except Missing as exc:
            return None, ("missing", str(exc))
        except NotImplementedError:
            return None, ("not_implemented", "is not implemented yet (raises NotImplementedError)")
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are student faults too
            return None, ("exception", describe(exc))
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__

    def op_load(self, request):
        for name, text in request.get("files", {}).items():
            with open(os.path.basename(name), "w", encoding="utf-8") as handle:
                handle.write(text)
        sys.path.insert(0, os.getcwd())   # as in a kernel: helpers beside the notebook import
        for unit in request["units"]:
            self.send({"event": "unit_start", "index": unit["index"]})
            # blank lines up to the unit's first line: tracebacks and SyntaxErrors name the
            # lines of the uploaded file (padded here, on the student's side and budget)
            code = "\n" * (max(1, int(unit.get("line", 1))) - 1) + unit["source"]
            _, error = self.run_student(
                lambda: exec(compile(code, unit["label"], "exec"), self.ns))
            self.send({"event": "unit_done", "index": unit["index"],
                       "error": error and error[1],
                       "output": self.captured.take()})
        return {"event": "loaded", "defined": sorted(k for k in self.ns if not k.startswith("__"))}

    def lookup(self, name):
        if name not in self.ns:
            raise Missing(f"{name} is not defined")
        return self.ns[name]

    def op_value(self, request):
        return self.lookup(request["name"])

    def op_call(self, request):
        function = self.lookup(request["name"])
        if not callable(function):
            raise TypeError(f"{request['name']} is not a function")
        args = [codec.decode_input(a) for a in request.get("args", [])]
        kwargs = {k: codec.decode_input(v) for k, v in request.get("kwargs", {}).items()}
        return function(*args, **kwargs)

    def op_sklearn(self, request):
        """Build the student's estimator, then fit copies; only its plain parameters and the
        fitted attributes the grader names (numbers, arrays, lists of them) go back."""
        from sklearn.base import clone
        model = self.lookup(request["name"])()
        params = {k: v for k, v in model.get_params(deep=False).items()
                  if codec.is_plain(v)}
        fits = []
        for fit in request.get("fits", []):
            copy = clone(model).set_params(random_state=fit["seed"])
            copy.fit(codec.decode_input(fit["X"]), codec.decode_input(fit["y"]))
            fits.append({name: getattr(copy, name) for name in request.get("attributes", [])})
        return {"class": type(model).__name__, "params": params, "fits": fits}

    def op_fork(self, request):
        """A copy of this loaded interpreter that answers on the two pipe ends sent with the
        request, so checks can run beside each other.  It is this process, forked: the same
        uid, namespaces, Landlock domain and rlimits, and it inherits no way out that this
        process lacks.  The copy serves until its pipe closes; it is killed with the sandbox."""
        _, fds, _, _ = socket.recv_fds(self.forks, 16, 2)
        for pid in list(self.forked):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    self.forked.remove(pid)
            except ChildProcessError:
                self.forked.remove(pid)
        if len(fds) != 2:
            return {"event": "forked", "pid": None}
        pid = os.fork()
        if pid == 0:
            try:
                self.inbox.close()
                self.outbox.close()
                self.forks.close()
                self.inbox, self.outbox = os.fdopen(fds[0], "rb"), os.fdopen(fds[1], "wb")
                self.forks = None
                self.send({"event": "ready", "confinement": self.level, "pid": os.getpid()})
                self.serve()
            finally:
                os._exit(0)
        self.forked.append(pid)
        for fd in fds:
            os.close(fd)
        return {"event": "forked", "pid": pid}

    def serve(self):
        operations = {"load": self.op_load, "value": self.op_value, "call": self.op_call,
                      "sklearn": self.op_sklearn}
        for line in self.inbox:
            request = json.loads(line)
            if request["op"] in ("load", "fork"):   # ours, not the student's: not captured
                if request["op"] == "fork" and self.forks is None:
                    self.send({"event": "forked", "pid": None})
                    continue
                self.send((self.op_load if request["op"] == "load" else self.op_fork)(request))
                continue
            operation = operations[request["op"]]
            value, error = self.run_student(lambda: operation(request))
            answer = {"ok": error is None, "output": self.captured.take()}
            if error is None:
                try:
                    answer["value"] = codec.encode_output(value)
                except codec.NotPlain as exc:
                    answer.update(ok=False, kind="bad_value", error=str(exc))
            else:
                answer["kind"], answer["error"] = error
            self.send(answer)


def run(settings):
    """Confine this process, then serve requests until the grader closes the pipe."""
    level = confine.apply(settings)
    child = Child(*settings["fds"], level=level)
    child.send({"event": "ready", "confinement": level, "pid": os.getpid()})
    child.serve()


def preload(modules):
    """Heavy imports before confinement (shared, read-only, warm); a missing one is ours."""
    try:
        codec.preload(modules)
    except ImportError as exc:
        broken(exc)


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    settings = json.loads(sys.argv[1])
    preload(settings.get("preload", ()))
    # fallback: namespaces of its own, as bubblewrap gives
    if settings.get("landlock") and confine.own_namespaces():
        confine.become_pid_one(close=settings["fds"])
    run(settings)


if __name__ == "__main__":
    main()
