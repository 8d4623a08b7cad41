"""Grade one submission: load it, start its sandbox, run the hidden graders against it."""
import contextlib
import io
import os
import sys
import time
from pathlib import Path

import pytest

from ..course import Course
from ..sandbox.client import Sandbox
from ..submission import Rejected, Submission, load_bytes, load_submission
from .plugin import GradingPlugin
from .results import GradingResult


def grade_path(course: Course, assignment: str, path, **limits) -> GradingResult:
    """Grade a file on disk; a rejected input gives status 'rejected' with the reason."""
    started = time.monotonic()
    try:
        submission = load_submission(path, **course.loading_options(assignment))
    except Rejected as exc:
        return GradingResult(assignment, "rejected", error=str(exc))
    return grade_submission(course, assignment, submission, started=started, **limits)


def grade_bytes(course: Course, assignment: str, filename: str, data: bytes,
                **limits) -> GradingResult:
    """Grade an upload held in memory (same result as grade_path on the same bytes)."""
    started = time.monotonic()
    try:
        submission = load_bytes(filename, data, **course.loading_options(assignment))
    except Rejected as exc:
        return GradingResult(assignment, "rejected", error=str(exc))
    return grade_submission(course, assignment, submission, started=started, **limits)


def grade_submission(course: Course, assignment: str, submission: Submission, *,
                     started=None, **limits) -> GradingResult:
    """Run the graders against a loaded submission in a fresh sandbox.

    limits: Sandbox keywords (call_timeout, budget_s, ...) over the assignment's [limits].
    """
    started = started or time.monotonic()
    timing = {"load": time.monotonic() - started}
    result = GradingResult(assignment, "graded",
                           submission={"filename": submission.filename,
                                       "sha256": submission.sha256})
    # SandboxError (a RuntimeError) propagates: the sandbox could not start, not the student's
    settings = course.settings(assignment)
    limits = {**settings.limits.sandbox_keywords(), **limits}
    sandbox = Sandbox(submission.units, files=course.public_file_texts(assignment),
                      preload=settings.preload, **limits)
    sandbox.start()
    timing["sandbox_start"] = time.monotonic() - started - timing["load"]
    try:
        result.sandbox = sandbox.level
        result.load = [{"unit": o.label, "error": o.error} for o in sandbox.outcomes if o.error]
        plugin = run_graders(course.graders_dir(assignment), sandbox)
    finally:
        sandbox.close()
    result.tests = plugin.results
    result.artifacts = plugin.kept
    if plugin.internal_errors:
        raise RuntimeError("grader failed: " + "; ".join(plugin.internal_errors))
    result.score = round(sum(t.score for t in result.tests), 4)
    result.max_score = round(sum(t.max_score for t in result.tests), 4)
    result.duration_s = time.monotonic() - started
    timing["graders"] = result.duration_s - timing["load"] - timing["sandbox_start"]
    result.timing = {**timing, "tests": plugin.durations}
    return result


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


def run_graders(graders_dir: Path, sandbox) -> GradingPlugin:
    """pytest on the grader folder with our plugin; its own chatter is swallowed."""
    plugin = GradingPlugin(sandbox)
    args = [str(graders_dir), "-c", str(graders_dir / "pytest.ini"), "--rootdir", str(graders_dir),
            "-q", "--import-mode=importlib", "-W", "ignore",
            # Graders write their own messages: pytest's assertion rewriting (which would also
            # print expected values) and traceback rendering are pure cost here, and so is the
            # gc.collect() of the unraisable-exception plugin (about 1 s per run).
            "--assert=plain", "--tb=no"]
    for plugin_name in ("cacheprovider", "unraisableexception", "threadexception",
                        "faulthandler", "doctest", "junitxml", "pastebin", "stepwise"):
        args += ["-p", f"no:{plugin_name}"]
    chatter = io.StringIO()
    # Installed pytest plugins (xdist, randomly, benchmark...) must not reorder or skip graders.
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter), \
                graders_modules(graders_dir):
            code = pytest.main(args, plugins=[plugin])
    finally:
        if saved is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"graders in {graders_dir} did not run (pytest exit {int(code)}):\n"
                           + chatter.getvalue()[-2000:])
    if os.environ.get("GRADEKIT_DEBUG"):
        print(chatter.getvalue())
    return plugin
