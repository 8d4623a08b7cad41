"""Run every mode side by side on private copies of the course; collect the raw figures as JSON.

Modes (keys of figures["modes"], each {"items": notebooks per run, "runs": [...]}; a run is
{"seconds", "code", "maxrss_mb"} plus what the command reported about itself):
  stock_one:ID, cold_one:ID   stock `nbgrader autograde --student ID`, `gradekit grade` (cold)
  stock_batch, cold_batch     stock `nbgrader autograde`, `gradekit autograde --jobs 2`
  serve_start, warm_batch     `gradekit serve --workers 2` until ready, then autograde again
  upload_cold:api|stub, upload_warm:api|stub|solved    `gradekit upload --json`, before and
                                                        under serve
  warm_batch_in_turn, upload_warm_in_turn:solved   the same under a server whose gradings run
                              their checks one after the other (GRADEKIT_CHECK_SLOTS=1), and
  warm_batch_always, upload_warm_always:solved     always two groups at the same time
                              (GRADEKIT_CHECK_SLOTS=2): the figures for the policy
Batches add the "reports" autograde wrote (with their timing), uploads the report's timing.
"""
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import courses
from courses import ASSIGNMENT
from probes import GRADEKIT, NBGRADER, LoadSampler, Spawner, grade_probe, machine
from warm_server import WarmServer


def save(figures, path):
    """The raw figures as JSON (report.py renders them again)."""
    Path(path).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def upload_figures(run):
    """What `gradekit upload --json` reports about itself: grading time, score, stage timing."""
    report = json.loads(run.out)
    return {"duration_s": report.get("duration_s"), "score": report.get("score"),
            "timing": report.get("timing", {})}


def autograde_reports(root):
    """The report.json autograde wrote per submission (duration_s and its timing)."""
    found = []
    for path in sorted(Path(root, "autograded").glob(f"*/{ASSIGNMENT}/report.json")):
        report = json.loads(path.read_text())
        found.append({"student": path.parent.parent.name, "duration_s": report.get("duration_s"),
                      "score": report.get("score"), "timing": report.get("timing", {})})
    return found


@contextlib.contextmanager
def check_slots(value):
    """GRADEKIT_CHECK_SLOTS for the commands started meanwhile (None: the engine's policy)."""
    saved = os.environ.pop("GRADEKIT_CHECK_SLOTS", None)
    if value is not None:
        os.environ["GRADEKIT_CHECK_SLOTS"] = str(value)
    try:
        yield
    finally:
        os.environ.pop("GRADEKIT_CHECK_SLOTS", None)
        if saved is not None:
            os.environ["GRADEKIT_CHECK_SLOTS"] = saved


class Measurement:
    """One benchmark run; main() returns everything it measured as plain JSON data."""

    def __init__(self, quick=False, reps=3, batch_reps=1, server_timeout=300.0, keep=False):
        self.quick, self.reps, self.batch_reps = quick, 1 if quick else reps, batch_reps
        self.server_timeout, self.keep = server_timeout, keep
        self.work = Path(tempfile.mkdtemp(prefix="gradekit-bench-"))
        self.stock_root, self.gk_root = self.work / "stock-course", self.work / "gradekit-course"
        self.modes, self.probes, self.failures, self.notes = {}, {}, [], []
        self.figures = {"quick": quick, "reps": self.reps, "modes": self.modes,
                        "probe": self.probes, "notes": self.notes, "failures": self.failures,
                        "warm": {"reason": "not tried", "server_processes": []}}

    def say(self, text):
        print(f"[{time.strftime('%H:%M:%S')} load {LoadSampler.now():.2f}] {text}",
              file=sys.stderr, flush=True)

    def run(self, argv, cwd, what, key=None, times=1, items=1, parse=None):
        """Run argv `times` times; the runs' figures (plus parse(run)) go to modes[key]."""
        found = []
        for number in range(times):
            self.say(f"{what} ({number + 1}/{times})")
            run = self.spawner.run(argv, cwd)
            figures = run.figures()
            if run.code != 0:
                self.failures.append(f"{what}: exit {run.code}: {run.tail(3)}")
                self.say(f"{what} FAILED (exit {run.code}):\n{run.tail()}")
            elif parse is not None:
                figures.update(parse(run))
            found.append(figures)
        if key is not None:
            self.modes.setdefault(key, {"items": items, "runs": []})["runs"] += found
        return found

    def setup(self):
        version, lists = courses.nbgrader_defaults()
        self.figures["nbgrader"] = version
        courses.copy_course(self.stock_root)
        courses.copy_course(self.gk_root)
        courses.write_stock_config(self.stock_root, version, lists)
        self.submissions = courses.build_submissions(self.gk_root, self.quick)
        for root in (self.stock_root, self.gk_root):   # the gradebook learns the assignment
            self.run(NBGRADER + ["generate_assignment", ASSIGNMENT, "--force"], root,
                     f"nbgrader generate_assignment in {root.name}")
            courses.place(root, self.submissions)
        if self.failures:
            raise SystemExit("benchmark: setup failed:\n" + "\n".join(self.failures))
        # single notebooks: the solved one (full mode) and an API-only honest variant (last)
        self.single = ([] if self.quick else ["s01-solved"]) + \
            [next(s for s in self.submissions if "-variant-" in s)]
        self.stub = self.work / "stub" / f"{ASSIGNMENT}.ipynb"
        self.stub.parent.mkdir()
        shutil.copy2(self.gk_root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", self.stub)
        self.figures.update(single=self.single, batch={"size": len(self.submissions),
                                                       "kinds": courses.kinds(self.submissions)})

    def singles(self):
        for student in self.single:
            self.run(NBGRADER + ["autograde", ASSIGNMENT, "--student", student, "--force"],
                     self.stock_root, f"stock nbgrader autograde --student {student}",
                     f"stock_one:{student}", self.reps)
            self.run(GRADEKIT + ["grade", ASSIGNMENT, courses.notebook(self.gk_root, student)],
                     self.gk_root, f"gradekit grade {student}", f"cold_one:{student}", self.reps)

    def autograde(self, key, what):
        """`gradekit autograde --jobs 2` on the batch, with the reports it wrote."""
        courses.clear(self.gk_root, "autograded")   # the reports read afterwards are this run's
        self.run(GRADEKIT + ["autograde", ASSIGNMENT, "--jobs", "2"], self.gk_root, what, key,
                 self.batch_reps, len(self.submissions),
                 parse=lambda run: {"reports": autograde_reports(self.gk_root)})

    def batches(self):
        n = len(self.submissions)
        self.run(NBGRADER + ["autograde", ASSIGNMENT, "--force"], self.stock_root,
                 f"stock nbgrader autograde, {n}", "stock_batch", items=n)
        self.autograde("cold_batch", f"gradekit autograde --jobs 2, {n}")
        self.figures["scores"] = {"stock nbgrader": courses.stock_scores(self.stock_root),
                                  "gradekit": courses.gradekit_scores(self.gk_root)}

    def probe(self):
        """One cold grading per single notebook with the engine's timing and sandbox memory."""
        for student in self.single:
            parse = lambda run: json.loads(run.out.strip().splitlines()[-1])
            runs = self.run(grade_probe(ASSIGNMENT, courses.notebook(self.gk_root, student)),
                            self.gk_root, f"probe: one cold grading of {student}", parse=parse)
            if runs[0]["code"] == 0:
                self.probes[student] = runs[0]
        times = max(3, self.reps)
        self.figures["start_s"] = {
            "bare": [r["seconds"] for r in self.run(
                [sys.executable, "-c", "pass"], self.gk_root, "interpreter start", times=times)],
            "imports": [r["seconds"] for r in self.run(
                [sys.executable, "-c", "import gradekit.grading.run"], self.gk_root,
                "interpreter start and grading imports", times=times)]}

    def uploads(self, mode, kinds=("api", "stub")):
        """`gradekit upload --json` of the API-only notebook, the release stub and (warm) the
        solved notebook (quick mode: the API-only one stands in for it)."""
        paths = {"api": courses.notebook(self.gk_root, self.single[-1]), "stub": self.stub,
                 "solved": courses.notebook(self.gk_root, self.single[0])}
        for what, path in ((kind, paths[kind]) for kind in kinds):
            for number in range(self.reps):
                student = f"bench-{mode.replace('_', '-')}-{what}-{number + 1}"
                self.run(GRADEKIT + ["upload", ASSIGNMENT, path, "--student", student, "--json"],
                         self.gk_root, f"gradekit upload ({mode}) of {what}",
                         f"upload_{mode}:{what}", parse=upload_figures)
            courses.clear(self.gk_root, "submitted/bench*")   # out of the next batch

    def warm(self, policy=""):
        """The warm modes; policy "in_turn" or "always": under a server whose checks run one
        after the other, or always in two groups (default: the engine's policy)."""
        server = WarmServer(self.gk_root, ASSIGNMENT, log=self.work / "server.log")
        self.say(f"starting gradekit serve {ASSIGNMENT} --workers 2 {policy}")
        with check_slots({"in_turn": 1, "always": 2}.get(policy)):
            ready, reason = server.start(self.server_timeout)
        self.figures["warm"]["reason"] = reason
        if reason:
            self.say(f"warm mode: not available ({reason})")
            return
        try:
            n, tail = len(self.submissions), f"_{policy}" if policy else ""
            if not policy:
                self.modes["serve_start"] = {"items": 1, "runs": [
                    {"seconds": ready, "code": 0, "maxrss_mb": None}]}
            self.autograde(f"warm_batch{tail}", f"warm gradekit autograde --jobs 2, {n} {policy}")
            if policy:
                self.uploads(f"warm{tail}", ("solved",))
            else:
                self.uploads("warm", ("api", "stub", "solved"))
                self.figures["warm"]["server_processes"] = server.memory()
        finally:
            self.say("stopping gradekit serve")
            server.stop()
            if server.left_alive:
                self.notes.append(f"{server.left_alive} process(es) of the server were still "
                                  "alive after it stopped and were killed")

    def main(self):
        self.spawner = Spawner()
        self.figures["spawner_mb"] = self.spawner.peak_mb
        load = LoadSampler()
        load.start()
        try:
            self.say(f"working in {self.work}")
            for step in (self.setup, self.singles, self.batches, self.probe,
                         lambda: self.uploads("cold"), self.warm,
                         lambda: self.warm("in_turn"), lambda: self.warm("always")):
                step()
        finally:
            self.spawner.close()
            load.stopped.set()
            if self.keep:
                self.say(f"kept {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)
        self.figures.update(machine=machine(), load={"samples": load.values,
                                                     "end": LoadSampler.now()})
        return self.figures
