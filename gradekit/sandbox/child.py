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
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confine  # noqa: E402  (our own sibling module, found via the line above)


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


class FakeIPython:
    """Enough of get_ipython() for notebooks: magics that wrap Python run it, others do nothing."""

    PYTHON_MAGICS = {"time", "timeit", "capture", "prun"}

    def __init__(self, namespace):
        self.user_ns = namespace

    def run_line_magic(self, name, line, *_):
        if name in self.PYTHON_MAGICS and line.strip():
            exec(compile(line, f"<%{name}>", "exec"), self.user_ns)

    def run_cell_magic(self, name, line, cell):
        if name in self.PYTHON_MAGICS:
            exec(compile(cell, f"<%%{name}>", "exec"), self.user_ns)

    def system(self, *_):
        return None

    def getoutput(self, *_):
        return []

    def __getattr__(self, name):
        # Anything else (input transformers, events, display hooks) is accepted and ignored:
        # cells were already transformed by the trusted side, so nothing here can rewrite them.
        return FakeIPython.Ignored()

    class Ignored:
        def __call__(self, *args, **kwargs):
            return FakeIPython.Ignored()

        def __getattr__(self, name):
            return FakeIPython.Ignored()


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
    def __init__(self, requests_fd, answers_fd):
        self.inbox = os.fdopen(requests_fd, "rb")
        self.outbox = os.fdopen(answers_fd, "wb")
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
            code = unit["source"]
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

    def serve(self):
        operations = {"load": self.op_load, "value": self.op_value, "call": self.op_call,
                      "sklearn": self.op_sklearn}
        for line in self.inbox:
            request = json.loads(line)
            operation = operations[request["op"]]
            if request["op"] == "load":
                self.send(operation(request))
                continue
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
    child = Child(*settings["fds"])
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
    run(settings)


if __name__ == "__main__":
    main()
