"""The trusted side of the sandbox: start it, load a submission, proxy calls, kill it.

A call that hangs, crashes or kills the interpreter costs that call only: the sandbox is
restarted and the submission reloaded for the next one.  A unit (cell or statement) that
hangs or kills the interpreter while loading is left out of the next start, so everything
defined elsewhere is still graded.
"""
import os
import time

from ..course.settings import TimeLimits
from ..errors import SandboxError
from . import twins
from .diagnose import why_not_started
from .launch import ResourceLimits
from .outcomes import StudentError, UnitOutcome
from .starters import ColdStart
from .wire import Wire, codec

# A call's time limit is CPU time where the sandbox's cgroup counts it: a call that hit its
# wall-clock limit having used less CPU than that while a process of it still wants a CPU
# (starved by other sandboxes' or the host's load) waits on, up to this many times the limit
# and within the submission's budget, so no student loses a check to a neighbour's busy
# processes.  Time spent asleep counts as before; without cgroups the limit is wall-clock.
STARVED_SLACK = 10.0


class Sandbox(Wire):
    """One submission's untrusted interpreter; use as a context manager."""

    # The time limits' defaults are the course's (course.settings.TimeLimits), not restated.
    def __init__(self, units, *, files=None, limits=ResourceLimits(),
                 call_timeout=TimeLimits.call_s, load_timeout=TimeLimits.load_s,
                 budget_s=TimeLimits.budget_s, preload=(), starter=None):
        self.units = list(units)          # [(label, source)] or [submission.Unit]
        self.files = dict(files or {})    # public files the notebook reads (helpers, data)
        self.limits, self.call_timeout = limits, call_timeout
        self.load_timeout, self.deadline = load_timeout, time.monotonic() + budget_s
        self.budget_s = budget_s
        self.exhausted = ""               # why every call fails: the budget ran out loading
        self.excluded = {}                # unit index -> why it is left out
        self.outcomes, self.defined, self.level = [], set(), ""
        self.starter = starter or ColdStart(preload)   # warm workers pass a zygote's
        self.preload = tuple(preload)
        self.process = None                     # a starters.Started while running
        self.printed = []                 # what the student's calls printed, for feedback
        self.timed_out = set()            # names that hung once: not called again
        self.launched = None              # a process begin() launched, not yet waited for
        self.call_s = 0.0                 # seconds spent waiting for answers to calls
        self.load_s = 0.0                 # seconds the submission's units took to run

    def __enter__(self):
        return self if self.process else self.start()

    def __exit__(self, *_):
        self.close()

    # -- life cycle -------------------------------------------------------------------
    def begin(self):
        """Launch the interpreter and return at once: it imports its libraries while the
        caller does other work (collecting the graders); start() then waits for it."""
        self.launched = self.starter(self.limits)
        return self

    def start(self):
        """Start and load, leaving out units that hang or end the interpreter.

        A time budget used up while loading is the submission's doing, never ours: the unit
        that was running and every unit after it are reported as not run, and each later call
        fails with that reason.  A sandbox that cannot start at all raises SandboxError.
        """
        while True:
            if self._left() <= 0:
                return self._out_of_time()
            try:
                self._spawn()
            except StudentError as exc:
                self._kill()
                if self._left() <= 0:
                    return self._out_of_time()
                raise SandboxError(why_not_started(exc, getattr(exc, "tail", ""))) from None
            try:
                self._load()
                return self
            except StudentError as exc:
                tail = self._tail()
                self._kill()
                if self._left() <= 0:
                    return self._out_of_time()
                if self.current is None:
                    raise SandboxError(why_not_started(exc, tail)) from None
                self.excluded[self.current] = (
                    f"did not finish within the {self.load_timeout:g} s that running the "
                    "submission may take" if exc.kind == "timeout" else str(exc))

    def _spawn(self):
        self.process, self.launched = self.launched or self.starter(self.limits), None
        self._buffer, self.current = b"", None
        try:
            ready = self._receive(min(60.0, self._left()))
        except StudentError as exc:
            exc.tail = self._tail()
            raise
        self.level = f"{self.process.level} ({', '.join(ready['confinement'])})"
        if self.process.group is not None:   # before any student code runs
            self.process.group.join()

    def _load(self):
        # a unit is (label, source) or submission.Unit (label, source, line it starts on)
        units = [{"index": i, "label": unit[0], "source": unit[1],
                  "line": unit[2] if len(unit) > 2 else 1}
                 for i, unit in enumerate(self.units) if i not in self.excluded]
        begun = time.monotonic()
        self._send({"op": "load", "units": units, "files": self.files})
        self._ran = {i: UnitOutcome(self.units[i][0], why) for i, why in self.excluded.items()}
        deadline = time.monotonic() + self.load_timeout
        while True:
            event = self._receive(min(deadline - time.monotonic(), self._left()))
            if event.get("event") == "unit_start":
                self.current = self._unit_index(event)
            elif event.get("event") == "unit_done":
                index, error = self._unit_index(event), event.get("error")
                self._ran[index] = UnitOutcome(self.units[index][0],
                                               None if error is None else str(error)[:2000],
                                               str(event.get("output", ""))[:10_000])
                self.current = None
            elif event.get("event") == "loaded":
                self.load_s += time.monotonic() - begun
                self.outcomes = [self._ran[i] for i in sorted(self._ran)]
                defined = event.get("defined")
                self.defined = {n for n in defined if type(n) is str} \
                    if type(defined) is list else set()
                return

    def _unit_index(self, event):
        """The unit an event names; student code can write events too, so it is checked."""
        index = event.get("index")
        if type(index) is not int or not 0 <= index < len(self.units):
            raise StudentError("bad_value", "garbled event from the sandbox (fd 4 was written to)")
        return index

    def _out_of_time(self):
        """The budget ran out while loading: say where, and fail every later call with it."""
        where = (f"while running {self.units[self.current][0]}" if self.current is not None
                 else "before the submission could be loaded again")
        self.exhausted = f"the submission's time budget of {self.budget_s:g} s ran out {where}"
        ran = getattr(self, "_ran", {})
        self.outcomes = []
        for index, (label, *_) in enumerate(self.units):
            if index == self.current:
                self.outcomes.append(UnitOutcome(label, self.exhausted))
            elif index in self.excluded:
                self.outcomes.append(UnitOutcome(label, self.excluded[index]))
            elif index in ran:
                self.outcomes.append(ran[index])
            else:
                self.outcomes.append(UnitOutcome(label, f"not run: {self.exhausted}"))
        return self

    def close(self):
        """Kill everything the sandbox started and remove its scratch folder."""
        if self.launched is not None:   # begun, never waited for
            self.process, self.launched = self.launched, None
        self._kill()

    # a client on a copy of the loaded interpreter for checks run beside this one's, and
    # forgetting a sandbox another process owns without killing it (twins.py)
    fork, release = twins.fork, twins.release

    def _left(self):
        """Seconds left of the submission's time budget."""
        return self.deadline - time.monotonic()

    def _kill(self):
        if self.process is None:
            return
        for fd in (self.process.requests, self.process.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        self.process.stop()
        self.process = None

    # -- calls --------------------------------------------------------------------------
    def request(self, message, timeout=None):
        """Send one request and return its decoded value; restarts after a fatal call."""
        if self.process is None and not self.exhausted:
            if self._left() <= 0:
                raise StudentError("timeout", "the submission's time budget is used up")
            self.start()
        if self.exhausted:
            raise StudentError("timeout", self.exhausted)
        asked = time.monotonic()
        try:
            self._send(message)
            answer = self._answer(timeout or self.call_timeout)
        except StudentError:
            self._kill()
            raise
        finally:
            self.call_s += time.monotonic() - asked
        if answer.get("output"):
            self.printed.append(str(answer["output"]))
        if not answer.get("ok"):
            kind = answer.get("kind")
            raise StudentError(kind if kind in StudentError.KINDS else "exception",
                               str(answer.get("error", "failed"))[:2000])
        try:
            return codec().decode_output(answer.get("value"))
        except Exception as exc:   # noqa: BLE001  decoding is pure: any failure is the answer's
            raise StudentError("bad_value", str(exc)[:500] or type(exc).__name__) from None

    def _answer(self, limit):
        """The answer to the request just sent, within `limit` seconds (see STARVED_SLACK)."""
        group = self.process.group
        begun, cpu = time.monotonic(), group.cpu_s() if group is not None else None
        try:
            return self._receive(min(limit, self._left()))
        except StudentError as exc:
            if exc.kind != "timeout" or cpu is None:
                raise
            timed_out = exc
        while (group.cpu_s() - cpu < limit and group.runnable()
               and time.monotonic() - begun < STARVED_SLACK * limit and self._left() > 0):
            try:
                return self._receive(min(0.25, self._left()))
            except StudentError as exc:
                if exc.kind != "timeout":
                    raise
        raise timed_out

    def call(self, name, *args, timeout=None, **kwargs):
        """Call the student's function `name` with plain arguments."""
        if name in self.timed_out:   # an endless loop would otherwise eat every check's time
            raise StudentError("timeout", f"{name} did not finish within its time limit "
                                          "on an earlier check, so it is not run again")
        try:
            return self._call(name, args, kwargs, timeout)
        except StudentError as exc:
            if exc.kind == "timeout":
                self.timed_out.add(name)
            raise

    def _call(self, name, args, kwargs, timeout):
        return self.request({"op": "call", "name": name,
                             "args": [codec().encode_input(a) for a in args],
                             "kwargs": {k: codec().encode_input(v) for k, v in kwargs.items()}},
                            timeout)

    def value(self, name):
        """The student's global `name` as plain values."""
        return self.request({"op": "value", "name": name})

    def sklearn(self, name, fits, timeout=None, attributes=()):
        """Build the student's estimator and fit copies [(seed, X, y)]; returns its class
        name, plain params and, per fit, the fitted `attributes` (e.g. "coef_")."""
        return self.request({"op": "sklearn", "name": name, "attributes": list(attributes),
                             "fits": [{"seed": seed, "X": codec().encode_input(X),
                                       "y": codec().encode_input(y)} for seed, X, y in fits]},
                            timeout)
