"""One pytest session per graders folder, kept across a warm worker's gradings.

A fresh `pytest.main` per grading configures pytest, imports its plugins' hooks and collects
the graders again: ~50 ms of a warm grading's ~90 ms outside the student's code.  Here pytest
is configured and the graders collected once; each grading binds the plugin to its sandbox
and runs the collected items again through pytest's own run loop (every fixture, session
ones included, is torn down after the last item, so nothing of one submission reaches the
next).  Only warm workers keep sessions (run.keep_sessions); `gradekit grade` runs pytest
once, as before.

pytest has no public API for this: the session is built as `pytest.main` builds it
(`_prepareconfig`, `Config._do_configure`, `Session.from_config`).  Should those change,
KeptSession raises at once and run.py falls back to a fresh `pytest.main` per grading.
"""
import contextlib
import io

from .plugin import GradingPlugin

# pytest's terminal and logging plugins keep something of every run (reports, log
# records): disabled here, and a session is rebuilt after RUNS_PER_SESSION gradings anyway,
# so nothing a kept session holds can grow without bound
RUNS_PER_SESSION = 200
NOT_KEPT = ("terminal", "logging")


class KeptSession:
    """pytest configured and `graders_dir` collected once; run() grades one sandbox."""

    def __init__(self, graders_dir, args):
        from _pytest.config import _prepareconfig
        from _pytest.main import Session
        self.runs = 0
        self.plugin = GradingPlugin(None)
        # -q and --tb are the terminal plugin's options (set below instead); no capture:
        # run.py redirects sys.stdout around each run, as around pytest.main
        args = [a for a in args if a not in ("-q", "--tb=no", "--capture=sys")]
        args.append("--capture=no")
        for name in NOT_KEPT:
            args += ["-p", f"no:{name}"]
        self.config = _prepareconfig(args, plugins=[self.plugin])
        # without it every failed check renders its traceback (0.3-0.8 s for the stub's 25)
        self.config.option.tbstyle = "no"
        self.config._do_configure()
        self.session = Session.from_config(self.config)
        self.config.hook.pytest_sessionstart(session=self.session)
        self.config.hook.pytest_collection(session=self.session)
        if self.session.testsfailed or not self.session.items:
            self.close()
            raise RuntimeError(f"graders in {graders_dir} did not collect")

    def run(self, sandbox, slots):
        """Run every collected check against `sandbox`; the plugin holds the findings."""
        self.plugin.bind(sandbox, slots)
        session = self.session
        session.testsfailed = 0
        session.shouldfail = session.shouldstop = False
        self.runs += 1
        self.config.hook.pytest_runtestloop(session=session)
        return self.plugin

    @property
    def worn(self):
        return self.runs >= RUNS_PER_SESSION

    def close(self):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            self.config._ensure_unconfigure()
