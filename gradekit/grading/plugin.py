"""pytest plugin that turns hidden grader modules into scored TestResults.

Graders are ordinary pytest tests.  They reach the submission only through the `student`
fixture (a proxy to the sandbox) and declare what they are worth with markers:

    pytestmark = pytest.mark.cell("test_forward")     # the nbgrader grade cell it scores
    @pytest.mark.points(0.5)                          # required on every test
    @pytest.mark.hidden                               # students see pass/fail and one line
"""
import time

import pytest

from ..errors import STUDENT_VALUE_ERRORS
from ..reports.render import visible_output
from . import parallel
from ..sandbox.outcomes import StudentError
from .results import TestResult

MARKERS = (
    "points(value): points the test is worth (required)",
    "hidden: a private test; students see only pass/fail and the first line of its message",
    "cell(grade_id): the nbgrader grade cell whose score this test contributes to",
    "cost(seconds): what the test typically takes; spreads checks over parallel groups",
)
OUTPUT_LIMIT = 1500


class PartialCredit(Exception):
    """Raised by Credit.fail: the test failed but earned `fraction` of its points."""

    def __init__(self, fraction, message):
        super().__init__(message)
        self.fraction = min(1.0, max(0.0, float(fraction)))


class Credit:
    """Per-test helper: `credit.fail(0.5, "why")` ends the test with half its points."""

    def fail(self, fraction, message):
        if fraction >= 1.0:
            return
        raise PartialCredit(fraction, message)


class StudentProxy:
    """`student.predict(X, w)` calls the sandbox; errors name the student's function."""

    def __init__(self, sandbox):
        self._sandbox = sandbox
        self._answered = None   # the student function that last returned a value (blame)

    def _wrap(self, name, thunk):
        try:
            value = thunk()
            self._answered = name
            return value
        except StudentError as exc:
            message = str(exc)
            if exc.kind in ("missing", "not_implemented"):
                message = f"{name} {message.removeprefix(name).strip()}"
            elif not message.startswith(name):
                message = f"{name}: {message}"
            raise StudentError(exc.kind, message) from None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, timeout=None, **kwargs: self._wrap(
            name, lambda: self._sandbox.call(name, *args, timeout=timeout, **kwargs))

    def value(self, name):
        """A global of the submission (e.g. ANSWER_TASK1) as plain values."""
        return self._wrap(name, lambda: self._sandbox.value(name))

    def sklearn(self, name, fits, timeout=None, attributes=()):
        """Build the student's estimator with `name()`, fit copies; params and `attributes`."""
        return self._wrap(name, lambda: self._sandbox.sklearn(name, fits, timeout=timeout,
                                                              attributes=attributes))


class GradingPlugin:
    """Collects one TestResult per grader test, in collection order."""

    def __init__(self, sandbox, slots=None):
        self.order = {}            # nodeid -> position in the collection (reports keep it)
        self.bind(sandbox, slots)

    @property
    def results(self):
        """One TestResult per test, in collection order whichever group ran it."""
        return [test for _, test in sorted(self.found, key=lambda pair: pair[0])]

    def bind(self, sandbox, slots=None):
        """Ready to grade the submission in `sandbox` (again, in a kept session: kept.py).
        New containers, not cleared ones: the last grading's result still holds them."""
        self.proxy = StudentProxy(sandbox)
        self.slots = slots         # groups of checks at the same time; None: parallel.py decides
        self.found = []            # (position, TestResult)
        self.kept = {}             # plain numbers graders keep for feedback (`artifacts`)
        self.durations = {}        # test name -> seconds spent in it (sandbox calls included)
        self.internal_errors = []
        self.stopped = []          # the grading process was told to stop while a check ran
        self.module = None         # the module of the check running (blame)
        self.marks = {}            # monotonic times: "collected", "started" (the sandbox)
        self.start_error = None    # the sandbox could not start: raised after pytest ends
        self.calls_s = []          # per group: seconds spent waiting for student calls

    def reset(self):
        """Forget what was found (a trusted fork reports only its own group)."""
        self.found.clear()
        self.kept.clear()   # in place: the session's `artifacts` fixture may hold it
        self.durations.clear()
        self.internal_errors.clear()
        self.stopped.clear()

    def findings(self):
        return {"found": self.found, "kept": self.kept, "durations": self.durations,
                "internal_errors": self.internal_errors, "stopped": self.stopped,
                "calls_s": [self.proxy._sandbox.call_s]}

    def merge(self, findings):
        """Add what a trusted fork found (see parallel.run_loop)."""
        self.found += findings["found"]
        self.kept.update(findings["kept"])
        self.durations.update(findings["durations"])
        self.internal_errors += findings["internal_errors"]
        self.stopped += findings["stopped"]
        self.calls_s += findings["calls_s"]

    def pytest_configure(self, config):
        for line in MARKERS:
            config.addinivalue_line("markers", line)

    @pytest.fixture(scope="session")
    def student(self):
        """The submission, as a proxy whose calls run in the sandbox."""
        return self.proxy

    @pytest.fixture(scope="session")
    def artifacts(self):
        """A dict where graders keep plain numbers for feedback (e.g. trained weights)."""
        return self.kept

    @pytest.fixture
    def credit(self):
        """Partial credit for the current test (see Credit.fail)."""
        return Credit()

    @pytest.hookimpl(trylast=True)   # after the graders' own conftest ordered them
    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.get_closest_marker("points") is None:
                raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.points")
        self.order = {item.nodeid: position for position, item in enumerate(items)}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        """Wait for the sandbox (it started while pytest collected), then run the checks,
        independent ones at the same time (parallel.py); None: pytest's own loop."""
        if session.testsfailed or session.config.option.collectonly:
            return None
        self.marks["collected"] = time.monotonic()
        sandbox = self.proxy._sandbox
        if sandbox.process is None and not sandbox.exhausted:
            try:
                sandbox.start()
            except Exception as exc:   # noqa: BLE001  (SandboxError: ours, raised after pytest)
                self.start_error = exc
                return True
        self.marks["started"] = time.monotonic()
        parallel.settle()   # the last grading's sandbox is stopped: it is no busy core of ours
        slots = self.slots if self.slots is not None else parallel.check_slots()
        if slots <= 1:
            return None
        return parallel.run_loop(self, session, slots)

    @pytest.hookimpl(tryfirst=True)   # before the test's fixtures call the student
    def pytest_runtest_setup(self, item):
        self.proxy._sandbox.printed = []
        if item.module is not self.module:   # a module's checks may share its fixtures' values
            self.module, self.proxy._answered = item.module, None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.failed):
            test = self.result(item, call)
            self.found.append((self.order.get(item.nodeid, len(self.order)), test))
            self.durations[test.name] = round(call.duration, 4)

    def blame(self, error):
        """"student" when a check raised one of STUDENT_VALUE_ERRORS after the student's code
        returned a value to it or to a fixture of its module (errors.py explains the rule),
        else "ours".  Decided once per exception: a module fixture's failure is raised
        again to each of its tests."""
        if not hasattr(error, "gradekit_answered"):
            answered = self.proxy._answered
            try:
                error.gradekit_answered = (answered if isinstance(error, STUDENT_VALUE_ERRORS)
                                           else None)
            except AttributeError:   # an exception type without attributes: not a value's
                return "ours"
        return "student" if error.gradekit_answered else "ours"

    def result(self, item, call):
        points = float(item.get_closest_marker("points").args[0])
        hidden = item.get_closest_marker("hidden") is not None
        cell = item.get_closest_marker("cell")
        status, fraction, message = "passed", 1.0, ""
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, PartialCredit):
            status, fraction, message = "failed", error.fraction, str(error)
        elif isinstance(error, StudentError):
            status = "timeout" if error.kind == "timeout" else "error"
            fraction, message = 0.0, str(error)
        elif isinstance(error, (AssertionError, pytest.fail.Exception)):
            status, fraction = "failed", 0.0
            message = str(error).split("\nassert ")[0].strip() or "check failed"
        elif error is not None and self.blame(error) == "student":
            status, fraction = "failed", 0.0
            message = (f"what {error.gradekit_answered} returned could not be checked: "
                       f"{type(error).__name__}: {str(error)[:300]}")
        elif error is not None and not isinstance(error, Exception):
            # SystemExit, KeyboardInterrupt: the grading process itself is being stopped (a
            # worker's pool cancelling its job when the broker goes away): neither the
            # student's fault nor a bug of the check; grading again will do
            status, fraction = "error", 0.0
            message = "grading was interrupted (not your fault)"
            self.stopped.append(f"{item.nodeid}: {call.excinfo.exconly()}")
        elif error is not None:
            status, fraction = "error", 0.0
            message = "internal grader error (not your fault); the instructors are told"
            self.internal_errors.append(f"{item.nodeid}: {call.excinfo.exconly()}\n"
                                        f"{call.excinfo.getrepr(style='short')}")
        if not hidden and self.proxy._sandbox.printed:
            message += "\n--- your code printed ---\n" + "".join(self.proxy._sandbox.printed)
        module = item.nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
        test = TestResult(name=f"{module}::{item.name}", score=round(points * fraction, 4),
                          max_score=points, status=status,
                          visibility="hidden" if hidden else "visible",
                          output=message, cell=cell.args[0] if cell else module)
        test.output = visible_output(test)[:OUTPUT_LIMIT]   # hidden: one line, kept no further
        return test
