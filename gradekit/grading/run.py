"""Grade one submission: load it, start its sandbox, run the hidden graders against it."""
import contextlib
import io
import os
import sys
import time
from pathlib import Path

from ..attempts.states import Status
from ..course.layout import Course
from ..errors import EngineBug, OurFailure
from ..sandbox.client import Sandbox
from ..submissions.load import Rejected, Submission, load_bytes, load_submission
from .parallel import close_later
from .results import GradingResult


def grade_path(course: Course, assignment: str, path, **limits) -> GradingResult:
    """Grade a file on disk; a rejected input gives status 'rejected' with the reason."""
    started = time.monotonic()
    try:
        submission = load_submission(path, **course.loading_options(assignment))
    except Rejected as exc:
        return GradingResult(assignment, Status.REJECTED, error=str(exc))
    return grade_submission(course, assignment, submission, started=started, **limits)


def grade_bytes(course: Course, assignment: str, filename: str, data: bytes,
                **limits) -> GradingResult:
    """Grade an upload held in memory (same result as grade_path on the same bytes)."""
    started = time.monotonic()
    try:
        submission = load_bytes(filename, data, **course.loading_options(assignment))
    except Rejected as exc:
        return GradingResult(assignment, Status.REJECTED, error=str(exc))
    return grade_submission(course, assignment, submission, started=started, **limits)


def grade_submission(course: Course, assignment: str, submission: Submission, *,
                     started=None, **limits) -> GradingResult:
    """Run the graders against a loaded submission in a fresh sandbox.

    limits: Sandbox keywords (call_timeout, budget_s, ...) over the assignment's [limits];
    check_slots: how many groups of checks run at the same time (default: parallel.py decides
    when the checks start).
    """
    started = started or time.monotonic()
    timing = {"load": time.monotonic() - started}
    result = GradingResult(assignment, Status.GRADED,
                           submission={"filename": submission.filename,
                                       "sha256": submission.sha256})
    # SandboxError (a RuntimeError) propagates: the sandbox could not start, not the student's
    settings = course.settings(assignment)
    slots = limits.pop("check_slots", None)
    limits = {**settings.limits.sandbox_keywords(), **limits}
    sandbox = Sandbox(submission.units, files=course.public_file_texts(assignment),
                      preload=settings.preload, **limits)
    # The sandbox's interpreter imports its libraries while pytest imports and collects the
    # graders here (two cores, two jobs); the plugin waits for it before the first check.
    sandbox.begin()
    launched = time.monotonic()
    try:
        plugin = run_graders(course.graders_dir(assignment), sandbox, slots)
        if plugin.start_error is not None:
            raise plugin.start_error
        result.sandbox = sandbox.level
        result.load = [{"unit": o.label, "error": o.error} for o in sandbox.outcomes if o.error]
    finally:
        close_later(sandbox)
    result.tests = plugin.results
    result.artifacts = plugin.kept
    if plugin.stopped:   # the process was told to stop: ours, graded again
        raise OurFailure("grading was interrupted: " + "; ".join(plugin.stopped))
    if plugin.internal_errors:   # a check broke on its own: ours, never retried
        raise EngineBug("grader failed: " + "; ".join(e.splitlines()[0]
                                                      for e in plugin.internal_errors),
                        "\n\n".join(plugin.internal_errors))
    result.score = round(sum(t.score for t in result.tests), 4)
    result.max_score = round(sum(t.max_score for t in result.tests), 4)
    result.duration_s = time.monotonic() - started
    result.timing = {**timing, **stage_times(plugin, started, launched,
                                             started + result.duration_s),
                     "tests": plugin.durations}
    return result


def stage_times(plugin, begun, launched, ended):
    """Seconds per stage after loading: collection (overlapping the sandbox's start), the
    wait for the sandbox, the checks.  student_load (running the submission's units) and
    student_calls (the longest group's time in student calls) are the student's own time:
    outside_student = duration_s - both is what grading itself costs."""
    collected = plugin.marks.get("collected", ended)
    started = plugin.marks.get("started", collected)
    calls = plugin.calls_s + [plugin.proxy._sandbox.call_s]
    student = plugin.proxy._sandbox.load_s + max(calls)
    return {"collection": collected - launched, "sandbox_start": started - collected,
            "checks": ended - started, "graders": ended - launched,
            "student_load": plugin.proxy._sandbox.load_s, "student_calls": max(calls),
            "groups": len(calls), "outside_student": ended - begun - student}


_IMPORTED = {}   # graders folder -> {module name: module} that pytest imported from it


@contextlib.contextmanager
def graders_modules(graders_dir):
    """sys.modules with this graders folder's own modules during the run, as before after it.

    pytest's importlib mode names grader modules by their bare file names ("conftest",
    "test_predict") and reuses what sys.modules holds: without this, a process that grades
    two assignments would run the first one's graders against the second.  Each folder's
    modules are kept aside, so a warm process still imports graders (and computes their
    expected values) once per assignment.
    """
    folder = str(Path(graders_dir).resolve())
    ours = _IMPORTED.get(folder, {})
    before = {name: sys.modules.get(name) for name in ours}
    sys.modules.update(ours)
    try:
        yield
    finally:
        ours = {name: module for name, module in list(sys.modules.items())
                if str(getattr(module, "__file__", None) or "").startswith(folder + os.sep)}
        _IMPORTED[folder] = ours
        for name in ours:
            if before.get(name) is not None:
                sys.modules[name] = before[name]
            else:
                del sys.modules[name]


_kept = {}   # graders folder -> KeptSession, or None: cannot be kept (warm workers only)
_keeping = False


def keep_sessions():
    """This process grades many submissions (a warm worker): keep each graders folder's
    pytest session across its gradings (kept.py)."""
    global _keeping
    _keeping = True


def run_graders(graders_dir: Path, sandbox, slots=None):
    """pytest on the grader folder with our plugin (a GradingPlugin); its own chatter is
    swallowed.  pytest is imported here, after the sandbox was launched: a cold grading's
    sandbox starts ~0.1 s sooner."""
    import pytest
    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter), \
            graders_modules(graders_dir), no_plugin_autoload():
        plugin = _in_kept_session(graders_dir, sandbox, slots) if _keeping else None
        if plugin is None:
            from .plugin import GradingPlugin
            plugin = GradingPlugin(sandbox, slots)
            code = pytest.main(pytest_args(graders_dir), plugins=[plugin])
            if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
                raise RuntimeError(f"graders in {graders_dir} did not run (pytest exit "
                                   f"{int(code)}):\n" + chatter.getvalue()[-2000:])
    if os.environ.get("GRADEKIT_DEBUG"):
        print(chatter.getvalue())
    return plugin


def _in_kept_session(graders_dir, sandbox, slots):
    """The plugin after a run in the folder's kept session; None when pytest could not
    keep one (then a fresh pytest.main grades, as in a cold process)."""
    from .kept import KeptSession
    folder = str(Path(graders_dir).resolve())
    if folder in _kept and _kept[folder] is None:
        return None
    kept = _kept.get(folder)
    if kept is None or kept.worn:
        if kept is not None:
            kept.close()
        try:
            kept = _kept[folder] = KeptSession(graders_dir, pytest_args(graders_dir))
        except Exception:   # noqa: BLE001  (pytest's internals changed, or a grader is broken:
            # a fresh pytest.main says which, as before; not tried again in this process,
            # which would collect twice per grading)
            _kept[folder] = None
            return None
    try:
        return kept.run(sandbox, slots)
    except BaseException:
        _kept.pop(folder, None)   # never reuse a session a run broke off
        raise


def pytest_args(graders_dir):
    """The command line every grading runs pytest with."""
    args = [str(graders_dir), "-c", str(graders_dir / "pytest.ini"), "--rootdir", str(graders_dir),
            "-q", "--import-mode=importlib", "-W", "ignore",
            # Graders write their own messages: pytest's assertion rewriting (which would also
            # print expected values) and traceback rendering are pure cost here, and so is the
            # gc.collect() of the unraisable-exception plugin (about 1 s per run).
            "--assert=plain", "--tb=no",
            # Python-level capture only: no file descriptors for forks of this process to share
            "--capture=sys"]
    for plugin_name in ("cacheprovider", "unraisableexception", "threadexception",
                        "faulthandler", "doctest", "junitxml", "pastebin", "stepwise"):
        args += ["-p", f"no:{plugin_name}"]
    return args


@contextlib.contextmanager
def no_plugin_autoload():
    """Installed pytest plugins (xdist, randomly, benchmark...) must not reorder or skip
    graders."""
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
