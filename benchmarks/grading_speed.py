#!/usr/bin/env python
"""Grading speed at deadline scale (issue 5): stock nbgrader against gradekit, in one run.

    python benchmarks/grading_speed.py [--quick] [--out FILE] [--keep]

Everything runs on private temporary copies of the course (nothing is written into the
repository):
  (a) stock nbgrader: `nbgrader autograde ML06` with nbgrader 0.9.6's own default preprocessor
      lists (Execute runs the notebook in a Jupyter kernel), in a copy whose nbgrader_config.py
      restores those defaults; (i) one notebook (`--student`), repeated; (ii) the batch;
  (b) `gradekit grade ML06 FILE`, cold: a fresh process per grading, as the CLI is used;
  (c) `gradekit autograde ML06 --jobs 2` on the same batch in submitted/<id>/ML06/ML06.ipynb;
  (d) warm mode: `gradekit serve ML06 --workers 2` in the background, then autograde and
      `gradekit upload` again (skipped with "warm mode: not available" where there is no
      server yet).
It prints one table (median, min, max, ratio against stock, largest process RSS), the peak
memory of one sandboxed grading, where the time of one cold grading, of the batch and of an
upload goes, the targets of issue 5 with PASS/MISS, the machine and its load average.
Timings are information, never a test: the command exits 0 unless a measured command could
not run at all.  --quick (for the test suite): a batch of 4 small submissions (the stub, two
honest variants, a mutant), one run of everything, no solved notebook.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "ML06"
# Same parts as the course_copy fixture of tests/conftest.py.
COURSE_PARTS = ("nbgrader_config.py", "gradekit.toml", "source", "release", "graders",
                "reference", "data")
# Solution cells of the release that define the pinned API (answers, functions, XOR_HIDDEN).
API_CELLS = ("answer_task1", "answer_task2", "answer_task5", "sigmoid", "init_weights", "forward",
             "loss", "gradients", "train", "predict", "make_mlp_221", "xor_hidden", "make_xor_mlp")
BATCH_SIZE = 40
TARGET_COLD_FRACTION = 1 / 3      # cold `gradekit grade` <= 1/3 of stock, one notebook
TARGET_WARM_OVERHEAD_S = 0.3
TARGET_BATCH_SPEEDUP = 6.0        # --jobs 2 batch throughput >= 6x stock
TARGET_SANDBOX_MB = 400
PROBE_COMMON = r'''
import json, os, resource, sys, time


def tree(root):
    """root and all its descendants (host pids), from /proc/*/stat."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def status(pid):
    with open(f"/proc/{pid}/status") as handle:
        fields = dict(line.split(":", 1) for line in handle if ":" in line)
    kb = lambda key: int(fields.get(key, "0 kB").split()[0])
    return {"pid": pid, "name": fields["Name"].strip(), "hwm_kb": kb("VmHWM"),
            "rss_kb": kb("VmRSS")}


def sample(root):
    found = []
    for pid in tree(root):
        try:
            found.append(status(pid))
        except (OSError, KeyError, ValueError):
            pass
    return found
'''

# One cold grading exactly as `gradekit grade` does it (grade_path), measured from inside: the
# sandbox's processes (everything this process started) are sampled right before every kill.
PROBE_GRADE = PROBE_COMMON + r'''
started = time.monotonic()
import gradekit.grading.run as run
from gradekit.course import Course
imported = time.monotonic()
samples = []
Original = run.Sandbox
hook = "_kill" if hasattr(Original, "_kill") else "close"


class Measured(Original):
    pass


def measured(self, *args, **kwargs):
    if getattr(self, "process", None) is not None:
        samples.append([p for p in sample(os.getpid()) if p["pid"] != os.getpid()])
    return getattr(Original, hook)(self, *args, **kwargs)


setattr(Measured, hook, measured)
run.Sandbox = Measured
result = run.grade_path(Course("."), sys.argv[1], sys.argv[2])
print(json.dumps({"status": result.status, "score": result.score, "max_score": result.max_score,
                  "sandbox": result.sandbox, "duration_s": result.duration_s,
                  "timing": result.timing, "imports_s": imported - started,
                  "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "sandboxes": samples}))
'''

# A gradekit command (gradekit.cli.main, as the console script runs it) with its stages timed
# by wrapping the functions upload.py, autograde.py and server.py call.  The wrappers are put
# in when those modules are imported, so the probe imports nothing the command would not (a
# warm `upload` client imports only the standard library).  Every GradingResult that passes
# through them is kept with its own timing (a warm server's grade results carry theirs too).
PROBE_CLI = r'''
import json, sys, time
started = time.monotonic()
import importlib.abc
import gradekit.cli
imported = time.monotonic()
stages, results, seen = {}, [], set()
PATCHES = {
    "gradekit.upload": [("load_bytes", "load the upload"),
                        ("grade_submission", "grade (cold, in this process)"),
                        ("place", "place in submitted/"),
                        ("write_feedback_page", "feedback page")],
    "gradekit.gradebook": [("record", "gradebook record")],
    "gradekit.server": [("grade_remote", "grade (warm server)"),
                        ("upload_remote", "whole upload done by the warm server")],
    "gradekit.autograde": [],
}
depth = [0]


def keep(value):
    if id(value) in seen:
        return
    if hasattr(value, "timing") and hasattr(value, "duration_s"):
        seen.add(id(value))
        results.append({"duration_s": value.duration_s, "timing": value.timing or {},
                        "score": value.score, "status": value.status})
    elif isinstance(value, dict) and isinstance(value.get("json"), dict) \
            and "duration_s" in value["json"]:   # a warm upload's outcome: no stage timing
        seen.add(id(value))
        results.append({"duration_s": value["json"]["duration_s"], "timing": {},
                        "score": value["json"].get("score"), "status": value["json"].get("status")})


def wrap(owner, name, stage):
    original = getattr(owner, name, None)
    if original is None or getattr(original, "_benchmark_wrapped", False):
        return

    def timed(*args, **kwargs):
        begin = time.monotonic()
        try:
            value = original(*args, **kwargs)
        finally:
            stages[stage] = stages.get(stage, 0.0) + time.monotonic() - begin
        for item in (value, *args, *kwargs.values()):
            keep(item)
        return value
    timed._benchmark_wrapped = True
    setattr(owner, name, timed)


class WrapAfterImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            begin = time.monotonic()
            depth[0] += 1
            try:
                execute(module)
            finally:
                depth[0] -= 1
                if not depth[0]:   # outermost only: its libraries are imported inside it
                    stages["imports inside the command"] = stages.get(
                        "imports inside the command", 0.0) + time.monotonic() - begin
            for attribute, stage in PATCHES[name]:
                wrap(module, attribute, stage)
        spec.loader.exec_module = exec_module
        return spec


if __name__ == "__main__":   # autograde's spawned pool workers import this file again
    sys.meta_path.insert(0, WrapAfterImport())
    code = gradekit.cli.main(sys.argv[1:])
    ended = time.monotonic()
    print(json.dumps({"code": code, "imports_s": imported - started, "total_s": ended - started,
                      "heavy_modules": sorted(m for m in ("numpy", "nbformat", "pytest", "sqlalchemy",
                                                          "matplotlib") if m in sys.modules),
                      "stages": stages, "results": results}), file=sys.stderr)
    sys.exit(code)
'''


# -- running and timing commands --------------------------------------------------------------
class Run:
    """One finished command: wall seconds, exit code, largest RSS in its tree, output."""

    def __init__(self, argv, seconds, code, maxrss_mb, out, err):
        self.argv, self.seconds, self.code = argv, seconds, code
        self.maxrss_mb, self.out, self.err = maxrss_mb, out, err

    def tail(self, lines=6):
        text = (self.err.strip() or self.out.strip()).splitlines()
        return "\n".join(text[-lines:])


def child_env():
    """Our environment minus pytest's (the suite runs us) and debug switches."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("PYTEST_") and k not in ("GRADEKIT_DEBUG", "COV_CORE_SOURCE")}


# Commands are started by a small helper process, started before the benchmark imports
# anything big: a fork's pre-exec copy of its parent counts in the child's ru_maxrss, so
# forking from the benchmark itself would put the benchmark's own size into every figure.
SPAWNER = r'''
import json, os, sys, threading, time


def stop(pid):
    try:
        os.killpg(pid, 9)
    except ProcessLookupError:
        pass


for line in sys.stdin:
    job = json.loads(line)
    out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.chdir(job["cwd"])
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execvpe(job["argv"][0], job["argv"], job["env"])
        except BaseException as exc:
            os.write(2, f"cannot start {job['argv'][0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    for fd in (out, err, null):
        os.close(fd)
    timer = threading.Timer(job["timeout"], stop, (pid,))
    timer.start()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    print(json.dumps({"seconds": seconds, "code": os.waitstatus_to_exitcode(status),
                      "maxrss_kb": usage.ru_maxrss}), flush=True)
'''
_spawner = None


def start_spawner():
    """The helper that starts every measured command; returns its own peak RSS in MB."""
    global _spawner
    _spawner = subprocess.Popen([sys.executable, "-I", "-S", "-c", SPAWNER], text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    time.sleep(0.2)
    status = Path(f"/proc/{_spawner.pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def stop_spawner():
    global _spawner
    if _spawner is not None:
        _spawner.stdin.close()
        _spawner.wait(30)
        _spawner = None


def timed(argv, cwd, timeout=3600):
    """Run argv in cwd; the wall time from fork to reap, and wait4's ru_maxrss (the largest
    single process of its tree that was reaped inside it, e.g. the kernel or the sandbox)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: os.path.join(folder, name) for name in ("stdout", "stderr")}
        if _spawner is not None:
            _spawner.stdin.write(json.dumps({"argv": list(map(str, argv)), "cwd": str(cwd),
                                             "env": child_env(), "timeout": timeout,
                                             **paths}) + "\n")
            _spawner.stdin.flush()
            done = json.loads(_spawner.stdout.readline())
            seconds, code, maxrss_kb = done["seconds"], done["code"], done["maxrss_kb"]
        else:   # the module used as a library (tests): plain subprocess
            with open(paths["stdout"], "wb") as out, open(paths["stderr"], "wb") as err:
                start = time.perf_counter()
                process = subprocess.Popen(argv, cwd=cwd, env=child_env(),
                                           stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                           start_new_session=True)
                timer = threading.Timer(timeout, _kill_group, (process.pid,))
                timer.start()
                _, status, usage = os.wait4(process.pid, 0)
                timer.cancel()
                seconds = time.perf_counter() - start
                process.returncode = code = os.waitstatus_to_exitcode(status)
                maxrss_kb = usage.ru_maxrss
        read = lambda name: Path(paths[name]).read_bytes().decode(errors="replace")
        return Run(argv, seconds, code, maxrss_kb / 1024, read("stdout"), read("stderr"))


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)   # the group of a process we started ourselves
    except ProcessLookupError:
        pass


def console_script(name, module):
    """The installed console script beside our interpreter (no pyenv shim), else -m module."""
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.is_file() else [sys.executable, "-m", module]


GRADEKIT = console_script("gradekit", "gradekit.cli")
NBGRADER = console_script("nbgrader", "nbgrader")


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while the benchmark runs."""

    def __init__(self, every=5.0):
        super().__init__(daemon=True)
        self.every, self.values, self.stopped = every, [], threading.Event()

    @staticmethod
    def now():
        return tuple(float(x) for x in Path("/proc/loadavg").read_text().split()[:3])

    def run(self):
        while not self.stopped.is_set():
            self.values.append(self.now()[0])
            self.stopped.wait(self.every)


# -- the course copies and the submissions ------------------------------------------------------
def copy_course(target):
    """Copy the course like tests/conftest.py's course_copy fixture does."""
    target.mkdir(parents=True)
    for part in COURSE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def nbgrader_defaults():
    """nbgrader's own Autograde preprocessor lists, read from the installed nbgrader."""
    import nbgrader
    from nbgrader.converters.autograde import Autograde
    traits = Autograde.class_traits()
    lists = {name: [f"{c.__module__}.{c.__name__}" for c in traits[name].default()]
             for name in ("sanitize_preprocessors", "autograde_preprocessors")}
    return nbgrader.__version__, lists


def write_stock_config(root, version, lists):
    """nbgrader_config.py of the stock copy: course layout only, nbgrader's default steps."""
    text = [
        f'"""Stock nbgrader {version} for the benchmark: the course layout and nbgrader\'s own',
        'default preprocessors (nbgrader/converters/autograde.py), so Execute runs the notebook',
        'in a Jupyter kernel (the course config replaces it with gradekit\'s preprocessor)."""',
        "import os", "", "c = get_config()  # noqa: F821",
        "ROOT = os.path.dirname(os.path.abspath(__file__))",
        'c.CourseDirectory.course_id = "B3M33UI"',
        "c.CourseDirectory.root = ROOT",
        'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")',
    ]
    for name, classes in lists.items():
        text.append(f"c.Autograde.{name} = [")
        text += [f"    {cls!r}," for cls in classes]
        text.append("]")
    (root / "nbgrader_config.py").write_text("\n".join(text) + "\n")


def notebook_from_script(release_nb, source):
    """The release notebook with a script's source as the student's code.

    The source goes into the first answer cell and the other API stubs are emptied: nbgrader
    runs the notebook top to bottom, so its test cells must come after the definitions (an
    appended last cell would let stock nbgrader grade the unfinished stubs, fast and wrong).
    gradekit grades the same file the same way.  The free-form demo cells stay unfinished.
    """
    import nbformat
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    missing = [name for name in API_CELLS if name not in ids]
    if missing:
        raise SystemExit(f"benchmark: release notebook lacks solution cells {missing}")
    for name in API_CELLS:
        ids[name].source = "# implemented in the first answer cell above"
    ids[API_CELLS[0]].source = source
    return nb


def build_submissions(course, quick):
    """{student id: notebook}: the solved notebook, the stub, honest variants, mutants."""
    import nbformat
    from gradekit.grading.library import load_library
    release_nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    solved = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    # a mutant file is an override of its base: Example.source() is the whole submission
    library = load_library(course / "graders" / ASSIGNMENT, ("variants", "mutants"))
    variants = [e for e in library if e.kind == "variants"]
    mutants = [e for e in library if e.kind == "mutants"]
    if not variants or not mutants:
        raise SystemExit("benchmark: graders/ML06/variants or mutants is empty")
    if quick:   # no solved notebook: its demo cells train for tens of seconds
        chosen = [("variant", variants[0]), ("variant", variants[-1]), ("mutant", mutants[0])]
        fixed = [("s02-stub", release_nb)]
    else:
        variants = variants[:BATCH_SIZE // 2]   # at least half of the batch are mutants
        room = BATCH_SIZE - 2 - len(variants)
        picked = [mutants[i * len(mutants) // room] for i in range(room)] \
            if room < len(mutants) else mutants
        chosen = [("variant", v) for v in variants] + [("mutant", m) for m in picked]
        fixed = [("s01-solved", solved), ("s02-stub", release_nb)]
    found = dict(fixed)
    for number, (kind, example) in enumerate(chosen, start=3):
        found[f"s{number:02d}-{kind}-{example.path.stem}"[:64]] = \
            notebook_from_script(release_nb, example.source())
    return found


def place(course, submissions):
    import nbformat
    for student, nb in submissions.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


def clear_uploads(course):
    """Uploads place submitted/<id>/: keep them out of the next batch."""
    for folder in (course / "submitted").glob("bench*"):
        shutil.rmtree(folder)


# -- statistics and the table ----------------------------------------------------------------
class Row:
    def __init__(self, label, runs=(), *, n_items=1, stock=None, note=""):
        self.label, self.runs, self.n_items, self.stock, self.note = label, list(runs), n_items, stock, note
        self.failed = [r for r in self.runs if r.code != 0]

    @property
    def times(self):
        return [r.seconds for r in self.runs]

    @property
    def median(self):
        return statistics.median(self.times) if self.runs else None

    @property
    def ratio(self):
        if self.stock is None or self.stock.median is None or not self.median:
            return None
        return self.stock.median / self.median

    def cells(self):
        if not self.runs:
            return [self.label, "0", "-", "-", "-", "-", "-", "-", self.note]
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "-"
        rss = max(r.maxrss_mb for r in self.runs)
        note = self.note + (f" FAILED rc={self.failed[0].code}" if self.failed else "")
        return [self.label, str(len(self.runs)), f"{self.median:.2f}", f"{min(self.times):.2f}",
                f"{max(self.times):.2f}", f"{self.median / self.n_items:.2f}", ratio,
                f"{rss:.0f}" if rss else "-", note.strip()]


HEADERS = ["mode", "n", "median s", "min s", "max s", "s / notebook", "vs stock",
           "largest RSS MB", "note"]


def md_table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(r) for r in rows])


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "kernel": platform.release(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}


# -- processes we started ----------------------------------------------------------------------
def descendants(root):
    """{pid: start time} of root and everything below it, from /proc/*/stat."""
    children, started = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
            started[int(entry)] = fields[19]
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in started:
            found[pid] = started[pid]
        todo.extend(children.get(pid, []))
    return found


def memory_of(pids):
    """[(name, VmRSS MB, VmHWM MB)] of the live processes among pids."""
    found = []
    for pid in pids:
        try:
            fields = dict(line.split(":", 1) for line in
                          Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        except OSError:
            continue
        mb = lambda key: int(fields.get(key, "0 kB").split()[0]) / 1024
        found.append((fields["Name"].strip(), mb("VmRSS"), mb("VmHWM")))
    return found


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# -- the benchmark ---------------------------------------------------------------------------------
class Benchmark:
    def __init__(self, args):
        self.args, self.quick = args, args.quick
        self.reps = 1 if args.quick else args.reps
        self.work = Path(tempfile.mkdtemp(prefix="gradekit-bench-"))
        self.stock_root = self.work / "stock-course"
        self.gk_root = self.work / "gradekit-course"
        self.rows, self.notes, self.failures = [], [], []
        self.stock_single, self.cold_single = {}, {}
        self.cli_data = {}             # (mode, what) -> [PROBE_CLI JSON + wall_s]
        self.probes = {}               # student -> (Run, PROBE_GRADE JSON or None)
        self.server, self.server_pids, self.server_memory = None, {}, []
        self.warm_reason, self.warm_batch, self.warm_stub = "not tried", None, None
        self.sandbox_mb = None
        self.load = LoadSampler()

    def say(self, text):
        print(f"[{time.strftime('%H:%M:%S')} load {LoadSampler.now()[0]:.2f}] {text}",
              file=sys.stderr, flush=True)

    def check(self, run, what, ok=(0,)):
        if run.code not in ok:
            self.failures.append(f"{what}: exit {run.code}: {run.tail(3)}")
            self.say(f"{what} FAILED (exit {run.code}):\n{run.tail()}")
        return run

    def cli(self, args, what, key, times):
        """`gradekit ARGS` through PROBE_CLI, `times` times; its stage timings are kept."""
        script = self.work / "probe_cli.py"
        script.write_text(PROBE_CLI)
        runs = self.repeat([sys.executable, str(script), *args], self.gk_root, what, times)
        for run in runs:
            try:
                data = json.loads(run.err.strip().splitlines()[-1])
            except (IndexError, ValueError):
                continue
            data["wall_s"] = run.seconds
            self.cli_data.setdefault(key, []).append(data)
        return runs

    def repeat(self, argv, cwd, what, times, ok=(0,)):
        runs = []
        for number in range(times):
            self.say(f"{what} ({number + 1}/{times})")
            runs.append(self.check(timed(argv, cwd), what, ok))
        return runs

    def notebook(self, root, student):
        return root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    @staticmethod
    def short(student):
        if student.endswith("-solved"):
            return "solved notebook"
        return "API-only notebook (" + student.split("-", 2)[-1] + ")"

    # -- setup ----------------------------------------------------------------------------
    def setup(self):
        version, lists = nbgrader_defaults()
        self.nbgrader_version = version
        copy_course(self.stock_root)
        copy_course(self.gk_root)
        write_stock_config(self.stock_root, version, lists)
        self.submissions = build_submissions(self.gk_root, self.quick)
        for root in (self.stock_root, self.gk_root):   # the gradebook learns the assignment
            self.check(timed(NBGRADER + ["generate_assignment", ASSIGNMENT, "--force"], root),
                       f"nbgrader generate_assignment in {root.name}")
            place(root, self.submissions)
        if self.failures:
            raise SystemExit("benchmark: setup failed:\n" + "\n".join(self.failures))
        # the single notebooks: the solved one (full mode) and an API-only honest variant
        self.single_ids = [] if self.quick else ["s01-solved"]
        self.single_ids.append(next(s for s in self.submissions if "-variant-" in s))
        self.stub = self.work / "stub" / f"{ASSIGNMENT}.ipynb"
        self.stub.parent.mkdir()
        shutil.copy2(self.gk_root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", self.stub)

    # -- (a)(i) and (b): one notebook -------------------------------------------------------------
    def singles(self):
        for student in self.single_ids:
            stock = Row(f"(a)(i) stock nbgrader, 1 notebook: {self.short(student)}",
                        self.repeat(NBGRADER + ["autograde", ASSIGNMENT, "--student", student,
                                                "--force"],
                                    self.stock_root, f"stock nbgrader autograde --student {student}",
                                    self.reps))
            cold = Row(f"(b) gradekit grade (cold), 1 notebook: {self.short(student)}",
                       self.repeat(GRADEKIT + ["grade", ASSIGNMENT,
                                               str(self.notebook(self.gk_root, student))],
                                   self.gk_root, f"gradekit grade {student}", self.reps),
                       stock=stock)
            self.stock_single[student], self.cold_single[student] = stock, cold
            self.rows += [stock, cold]

    # -- (a)(ii) and (c): the batch ---------------------------------------------------------------
    def batches(self):
        n = len(self.submissions)
        self.stock_batch = Row(f"(a)(ii) stock nbgrader, batch of {n} (one process, in turn)",
                               self.repeat(NBGRADER + ["autograde", ASSIGNMENT, "--force"],
                                           self.stock_root, f"stock nbgrader autograde, {n}", 1),
                               n_items=n)
        self.cold_batch = Row(f"(c) gradekit autograde --jobs 2, batch of {n}",
                              self.cli(["autograde", ASSIGNMENT, "--jobs", "2"],
                                       f"gradekit autograde --jobs 2, {n}", ("cold", "batch"),
                                       self.args.batch_reps),
                              n_items=n, stock=self.stock_batch, note="throughput ratio")
        self.rows += [self.stock_batch, self.cold_batch]
        self.scores = {"stock nbgrader": stock_scores(self.stock_root),
                       "gradekit": gradekit_scores(self.gk_root)}

    # -- memory and time breakdown of one cold grading ------------------------------------------
    def probe(self):
        script = self.work / "probe_grade.py"
        script.write_text(PROBE_GRADE)
        for student in self.single_ids:
            self.say(f"probe: one cold grading of {student}, sandbox memory and timing")
            run = self.check(timed([sys.executable, str(script), ASSIGNMENT,
                                    str(self.notebook(self.gk_root, student))], self.gk_root),
                             f"probe grading of {student}")
            data = json.loads(run.out.strip().splitlines()[-1]) if run.code == 0 else None
            self.probes[student] = (run, data)
        times = max(3, self.reps)
        self.bare_start = [timed([sys.executable, "-c", "pass"], self.gk_root).seconds
                           for _ in range(times)]
        self.import_start = [timed([sys.executable, "-c", "import gradekit.grading.run"],
                                   self.gk_root).seconds for _ in range(times)]

    # -- uploads (cold now, warm under the server) ------------------------------------------------
    def uploads(self, mode):
        """`gradekit upload` of the API-only notebook and of the stub; rows of runs."""
        api = self.single_ids[-1]
        found = {}
        for what, path in ((api, self.notebook(self.gk_root, api)), ("stub", self.stub)):
            runs = []
            for number in range(self.reps):
                student = f"bench-{mode}-{'stub' if what == 'stub' else 'api'}-{number + 1}"
                runs += self.cli(["upload", ASSIGNMENT, str(path), "--student", student],
                                 f"gradekit upload ({mode}) of {what} ({number + 1}/{self.reps})",
                                 (mode, what), 1)
            clear_uploads(self.gk_root)
            found[what] = runs
        base = self.stock_single[api]
        client = mode == "warm"
        return [Row(f"(d) gradekit upload, {mode}: {self.short(api)}", found[api], stock=base,
                    note="client process" if client else ""),
                Row(f"(d) gradekit upload, {mode}: release stub", found["stub"], stock=base,
                    note="overhead estimate" + (", client process" if client else ""))]

    def cold_uploads(self):
        self.cold_upload_rows = self.uploads("cold")

    # -- (d) warm mode -----------------------------------------------------------------------------
    def warm(self):
        n = len(self.submissions)
        api = self.short(self.single_ids[-1])
        self.warm_reason = self.start_server()
        if self.warm_reason:
            print(f"warm mode: not available ({self.warm_reason})", flush=True)
            self.say(f"warm mode: not available ({self.warm_reason})")
            self.rows += [Row("(d) gradekit serve --workers 2: start until ready",
                              note="warm mode: not available"),
                          Row(f"(d) gradekit autograde --jobs 2, batch of {n}, warm",
                              note="warm mode: not available"),
                          self.cold_upload_rows[0],
                          Row(f"(d) gradekit upload, warm: {api}", note="warm mode: not available"),
                          self.cold_upload_rows[1],
                          Row("(d) gradekit upload, warm: release stub",
                              note="warm mode: not available")]
            return
        try:
            self.warm_batch = Row(f"(d) gradekit autograde --jobs 2, batch of {n}, warm",
                                  self.cli(["autograde", ASSIGNMENT, "--jobs", "2"],
                                           f"warm gradekit autograde --jobs 2, {n}",
                                           ("warm", "batch"), self.args.batch_reps),
                                  n_items=n, stock=self.stock_batch,
                                  note="throughput ratio; client process")
            warm_api, self.warm_stub = self.uploads("warm")
            self.server_memory = memory_of(descendants(self.server.pid))
            self.rows += [self.server_row, self.warm_batch, self.cold_upload_rows[0], warm_api,
                          self.cold_upload_rows[1], self.warm_stub]
        finally:
            self.stop_server()

    def start_server(self):
        """Start `gradekit serve`; None when it is ready, else why warm mode is not available."""
        try:
            from gradekit import server
            is_running = server.is_running
        except Exception as exc:   # not written yet, or broken while being written
            return f"gradekit.server: {type(exc).__name__}: {exc}"
        probe = timed(GRADEKIT + ["serve", "--help"], self.gk_root, timeout=60)
        if probe.code != 0:
            return f"no `gradekit serve` command: {probe.tail(1)}"
        self.server_log = self.work / "server.log"
        self.say(f"starting gradekit serve {ASSIGNMENT} --workers 2")
        start = time.perf_counter()
        with open(self.server_log, "wb") as log:
            self.server = subprocess.Popen(GRADEKIT + ["serve", ASSIGNMENT, "--workers", "2"],
                                           cwd=self.gk_root, env=child_env(), stdout=log,
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                           start_new_session=True)
        problem = f"not ready within {self.args.server_timeout:.0f} s"
        while time.perf_counter() - start < self.args.server_timeout:
            self.server_pids.update(descendants(self.server.pid))
            if self.server.poll() is not None:
                tail = self.server_log.read_text(errors="replace").strip().splitlines()[-3:]
                problem = f"server exited with code {self.server.returncode}: {' | '.join(tail)}"
                break
            try:
                if is_running(self.gk_root, ASSIGNMENT):
                    ready = time.perf_counter() - start
                    self.server_pids.update(descendants(self.server.pid))
                    self.server_row = Row("(d) gradekit serve --workers 2: start until ready",
                                          [Run([], ready, 0, 0, "", "")],
                                          note="once per session; RSS n/a")
                    return None
            except Exception as exc:
                problem = f"is_running raised {type(exc).__name__}: {exc}"
            time.sleep(0.5)
        self.stop_server()
        return problem

    def stop_server(self):
        """Ctrl-C to the server's process group, then harder; then any of its processes left."""
        if self.server is None:
            return
        self.say("stopping gradekit serve")
        self.server_pids.update(descendants(self.server.pid))
        for sig, patience in ((signal.SIGINT, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.server.poll() is not None:
                break
            try:
                os.killpg(self.server.pid, sig)   # the group of the server we started
            except ProcessLookupError:
                break
            try:
                self.server.wait(patience)
            except subprocess.TimeoutExpired:
                pass
        left = []
        time.sleep(1.0)
        for pid, started in self.server_pids.items():   # e.g. zygotes in their own sessions
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[19] == started and fields[0] != "Z":   # the same process, still alive
                left.append(pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if left:
            self.notes.append(f"{len(left)} process(es) of the server were still alive after "
                              "it stopped and were killed")
        self.server = None

    # -- the report -----------------------------------------------------------------------------
    def report(self):
        info = machine()
        loads = self.load.values or [LoadSampler.now()[0]]
        busy = max(loads) > (info["nproc"] or 1)
        out = ["# gradekit grading speed (issue 5)", "",
               f"- date: {info['date']}",
               f"- machine: {info['nproc']} cores, {info['cpu']}, Linux {info['kernel']}, "
               f"Python {info['python']}; nbgrader {self.nbgrader_version} stock = its default "
               "preprocessors (Execute runs the notebook in a Jupyter kernel)",
               f"- load average (1 min) during the run: start {loads[0]:.2f}, mean "
               f"{statistics.mean(loads):.2f}, max {max(loads):.2f}, end {LoadSampler.now()[0]:.2f} "
               f"on {info['nproc']} cores" + (" -- BUSY machine (other jobs running): absolute "
                                              "times are inflated" if busy else ""),
               f"- mode: {'--quick' if self.quick else 'full'}; batch of {len(self.submissions)}: "
               + ", ".join(f"{count} {kind}" for kind, count in self.batch_kinds().items())
               + f"; {self.reps} repetition(s) of each single-notebook mode and upload",
               "- vs stock: stock median / this median (single notebooks and uploads: against "
               "stock on the same notebook; batches: throughput ratio on the same submissions)",
               "- largest RSS: wait4's ru_maxrss, the largest single process of the command's "
               "tree (stock: the Jupyter kernel; warm rows: the client only); commands are "
               f"started by a helper of {self.spawner_mb:.0f} MB, the floor of this column", ""]
        out.append(md_table(HEADERS, [row.cells() for row in self.rows]))
        for section in (self.score_lines, self.memory_lines, self.breakdown_lines,
                        self.batch_lines, self.upload_lines, self.target_lines):
            lines = section()
            if lines:
                out += [""] + lines
        if self.notes:
            out += ["", "Notes:"] + [f"- {note}" for note in self.notes]
        if self.failures:
            out += ["", "FAILED commands:"] + [f"- {f}" for f in self.failures]
        return "\n".join(out)

    def batch_kinds(self):
        kinds = {}
        for student in self.submissions:
            kind = student.split("-")[1]
            kinds[kind] = kinds.get(kind, 0) + 1
        return kinds

    def score_lines(self):
        lines = ["Scores in the batch's gradebooks (sanity: both graded the same students' code):"]
        for name, found in self.scores.items():
            if not found:
                lines.append(f"- {name}: no scores in its gradebook")
                continue
            values = list(found.values())
            lines.append(f"- {name}: {len(values)} graded, mean {statistics.mean(g for g, _ in values):.2f}"
                         f" of {max(m for _, m in values):g} points (max includes manually graded cells)")
        return lines

    def memory_lines(self):
        lines = ["Memory of one sandboxed grading (cold, `gradekit grade`'s grade_path):"]
        for student, (run, data) in self.probes.items():
            if not data:
                lines.append(f"- {self.short(student)}: the probe grading failed (see FAILED)")
                continue
            biggest = max(data["sandboxes"], key=lambda ps: sum(p["hwm_kb"] for p in ps),
                          default=[])
            peak = sum(p["hwm_kb"] for p in biggest) / 1024
            self.sandbox_mb = max(self.sandbox_mb or 0.0, peak)
            parts = ", ".join(f"{p['name']} {p['hwm_kb'] / 1024:.0f}" for p in biggest)
            lines += [f"- {self.short(student)}: peak sandbox memory {peak:.0f} MB = sum of VmHWM "
                      f"over the sandbox's processes, read from /proc right before they were "
                      f"killed (MB each: {parts}; {len(data['sandboxes'])} sandbox start(s)); "
                      f"trusted grading process {data['self_maxrss_kb'] / 1024:.0f} MB max RSS "
                      f"(RUSAGE_SELF); largest process of the tree {run.maxrss_mb:.0f} MB "
                      "(wait4 ru_maxrss)"]
        data = next((d for _, d in self.probes.values() if d), None)
        if data:
            lines.append(f"- sandbox level: {data['sandbox']}")
        if self.server_memory:
            total = sum(rss for _, rss, _ in self.server_memory)
            lines.append(f"- warm server (`serve --workers 2`) after the warm runs: "
                         f"{len(self.server_memory)} processes, {total:.0f} MB RSS in all "
                         "(shared pages counted in each process)")
        return lines

    def breakdown_lines(self):
        probed = {s: d for s, (_, d) in self.probes.items() if d}
        if not probed:
            return []
        tests = sorted({name for d in probed.values() for name in d["timing"].get("tests", {})})
        imports, bare = median(self.import_start), median(self.bare_start)

        def column(data):
            timing, checks = data["timing"], data["timing"].get("tests", {})
            in_tests = sum(checks.values())
            cells = [bare, imports, timing["load"], timing["sandbox_start"], timing["graders"],
                     timing["graders"] - in_tests, in_tests]
            cells += [checks.get(name) for name in tests]
            cells += [data["duration_s"], self.probes_wall(data)]
            return ["-" if c is None else f"{c:.3f}" if c < 0.1 else f"{c:.2f}" for c in cells]

        labels = ["interpreter start (python -c pass)",
                  "interpreter start + imports (python -c 'import gradekit.grading.run')",
                  "load the submission: timing['load']",
                  "sandbox start: spawn, then run every cell of the notebook: timing['sandbox_start']",
                  "graders: timing['graders']",
                  "  pytest collection, grader imports, expected values (graders minus checks)",
                  "  all checks: sum of timing['tests']"]
        labels += [f"    {name}" for name in tests]
        labels += ["total inside grade_path: duration_s", "wall time of the probe process"]
        columns = [column(d) for d in probed.values()]
        rows = [[label] + [c[i] for c in columns] for i, label in enumerate(labels)]
        headers = ["stage (s)"] + [f"{self.short(s)}, {d['score']:g}/{d['max_score']:g} points"
                                   for s, d in probed.items()]
        return ["Time breakdown of one cold grading (a probe process runs grade_path exactly like "
                "`gradekit grade`, minus printing the report):", "", md_table(headers, rows)]

    def probes_wall(self, data):
        return next(run.seconds for run, d in self.probes.values() if d is data)

    def upload_lines(self):
        keys = sorted((k for k in self.cli_data if k[1] != "batch"),
                      key=lambda k: (k[1] == "stub", k[0] == "warm"))
        if not keys:
            return []
        stages = []
        for key in keys:
            for data in self.cli_data[key]:
                stages += [s for s in data["stages"] if s not in stages]

        def column(key):
            runs = self.cli_data[key]
            graded = [max((r["duration_s"] for r in d["results"]), default=None) for d in runs]
            checks = [sum(sum(r["timing"].get("tests", {}).values()) for r in d["results"])
                      if any(r["timing"] for r in d["results"]) else None for d in runs]
            cells = [median(d["wall_s"] - d["total_s"] for d in runs),
                     median(d["imports_s"] for d in runs)]
            cells += [median(d["stages"].get(s) for d in runs) for s in stages]
            cells += [median(d["total_s"] - d["imports_s"] - sum(d["stages"].values()) for d in runs),
                      median(d["wall_s"] for d in runs), median(graded), median(checks),
                      median(None if c is None else d["wall_s"] - c for d, c in zip(runs, checks))]
            return ["-" if c is None else f"{c:.2f}" for c in cells]

        labels = (["interpreter start and exit", "import gradekit.cli"]
                  + stages + ["rest: archive, locks, attempt log, reports, printing",
                              "wall time", "grading (the report's duration_s)",
                              "of which inside the checks (timing['tests'])",
                              "wall time minus checks (>= overhead)"])
        columns = [column(k) for k in keys]
        rows = [[label] + [c[i] for c in columns] for i, label in enumerate(labels)]
        headers = ["upload stage (median s)"] + [
            f"{mode} {'stub' if what == 'stub' else 'API-only'}" for mode, what in keys]
        heavy = "; ".join(f"{mode} {'stub' if what == 'stub' else 'API-only'}: "
                          + (", ".join(self.cli_data[(mode, what)][0].get("heavy_modules", []))
                             or "none")
                          for mode, what in keys)
        return ["Where an upload's time goes (each `gradekit upload` ran through a thin wrapper "
                "of gradekit.cli.main that times the functions upload.py, gradebook.py and "
                "server.py call, wrapped as they are imported):", "", md_table(headers, rows), "",
                f"Heavy libraries the upload process imported: {heavy}."]

    def batch_lines(self):
        keys = [k for k in (("cold", "batch"), ("warm", "batch")) if k in self.cli_data]
        if not keys:
            return []

        def column(key):
            data = self.cli_data[key][0]
            results = [r for r in data["results"] if r.get("timing")]
            total = lambda f: sum(f(r) for r in results)
            grading = total(lambda r: r["duration_s"])
            record = data["stages"].get("gradebook record", 0.0)
            feedback = data["stages"].get("feedback page", 0.0)
            imports = data["imports_s"] + data["stages"].get("imports inside the command", 0.0)
            cells = [data["wall_s"], data["wall_s"] - data["total_s"], imports,
                     record, feedback, len(results), grading,
                     total(lambda r: r["timing"].get("load", 0.0)),
                     total(lambda r: r["timing"].get("sandbox_start", 0.0)),
                     total(lambda r: r["timing"].get("graders", 0.0)),
                     total(lambda r: sum(r["timing"].get("tests", {}).values())),
                     grading / 2 + record + feedback]
            return [f"{c:.0f}" if isinstance(c, int) else f"{c:.1f}" for c in cells]

        labels = ["wall time", "interpreter start and exit (parent)", "imports (parent)",
                  "gradebook record, in the parent, one at a time",
                  "feedback pages (plots), in the parent, one at a time",
                  "gradings reported", "sum of grading times (duration_s, in the workers)",
                  "  of which loading the submissions", "  of which sandbox starts (incl. "
                  "running the notebook cells)", "  of which graders",
                  "    of which checks (timing['tests'])",
                  "sum/2 + parent's serial work (what 2 perfect jobs would take)"]
        columns = [column(k) for k in keys]
        rows = [[label] + [c[i] for c in columns] for i, label in enumerate(labels)]
        return [f"Where the batch's time goes (`gradekit autograde --jobs 2` through the same "
                f"wrapper; sums over all {len(self.submissions)} submissions, seconds):", "",
                md_table(["batch stage (s)"] + [f"{mode} batch" for mode, _ in keys], rows)]

    def target_lines(self):
        lines = ["Targets (issue 5):"]
        verdict = lambda ok: "PASS" if ok else "MISS"
        for student, cold in self.cold_single.items():
            stock = self.stock_single[student]
            if cold.median and stock.median:
                limit = stock.median * TARGET_COLD_FRACTION
                lines.append(f"- {verdict(cold.median <= limit)}: cold `gradekit grade` <= 1/3 of "
                             f"stock nbgrader, {self.short(student)}: {cold.median:.2f} s, limit "
                             f"{limit:.2f} s (stock {stock.median:.2f} s): {stock.median / cold.median:.2f}x "
                             "faster, 3x wanted")
        if self.warm_stub is None or not self.warm_stub.median:
            stub = self.cli_data.get(("cold", "stub"))
            cold = f"; a cold upload of the stub takes {median(d['wall_s'] for d in stub):.2f} s" \
                if stub else ""
            lines.append(f"- n/a: warm overhead <= {TARGET_WARM_OVERHEAD_S} s: warm mode not "
                         f"available ({self.warm_reason}){cold}")
        else:
            stub_runs = self.cli_data.get(("warm", "stub"), [])
            whole = median(d["stages"].get("whole upload done by the warm server") or
                           d["stages"].get("grade (warm server)") for d in stub_runs)
            graded = median(max((r["duration_s"] for r in d["results"]), default=None)
                            for d in stub_runs)
            detail = ""
            if whole is not None:
                detail = (f"; the client waited {whole:.2f} s for the server"
                          + (f" (its grading: {graded:.2f} s)" if graded is not None else "")
                          + "; the rest is the client process (see the upload table)")
            batch = [r for d in self.cli_data.get(("warm", "batch"), []) for r in d["results"]
                     if r.get("timing", {}).get("tests")]
            if batch:
                outside = median(r["duration_s"] - sum(r["timing"]["tests"].values()) for r in batch)
                detail += (f"; in the warm batch a grading spent a median {outside:.2f} s outside "
                           "the checks (sandbox fork and load, pytest; transfers not included)")
            lines.append(f"- {verdict(self.warm_stub.median <= TARGET_WARM_OVERHEAD_S)}: warm "
                         f"overhead <= {TARGET_WARM_OVERHEAD_S} s: {self.warm_stub.median:.2f} s "
                         "(estimate: the time inside student functions is not measured directly, "
                         "so this is a warm `gradekit upload` of the release stub, whose "
                         f"functions all raise at once){detail}")
        for batch in (self.cold_batch, self.warm_batch):
            if batch is not None and batch.ratio is not None:
                lines.append(f"- {verdict(batch.ratio >= TARGET_BATCH_SPEEDUP)}: batch of "
                             f"{batch.n_items} with --jobs 2 >= {TARGET_BATCH_SPEEDUP:g}x stock "
                             f"throughput{' (warm)' if batch is self.warm_batch else ' (cold)'}: "
                             f"{batch.ratio:.2f}x ({batch.median:.1f} s vs stock "
                             f"{self.stock_batch.median:.1f} s)")
        if self.sandbox_mb is not None:
            lines.append(f"- {verdict(self.sandbox_mb <= TARGET_SANDBOX_MB)}: peak sandbox memory "
                         f"<= {TARGET_SANDBOX_MB} MB: {self.sandbox_mb:.0f} MB")
        return lines

    def main(self):
        self.spawner_mb = start_spawner()
        self.load.start()
        try:
            self.say(f"working in {self.work}")
            self.setup()
            self.singles()
            self.batches()
            self.probe()
            self.cold_uploads()
            self.warm()
        finally:
            self.stop_server()
            stop_spawner()
            self.load.stopped.set()
            if self.args.keep:
                self.say(f"kept {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)
        text = self.report()
        print(text, flush=True)
        if self.args.out:
            Path(self.args.out).write_text(text + "\n", encoding="utf-8")
        return 1 if self.failures else 0


def stock_scores(root):
    from nbgrader.api import Gradebook, MissingEntry
    try:
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            found = gradebook.find_assignment(ASSIGNMENT)
            return {s.student.id: (s.score, s.max_score) for s in found.submissions}
    except MissingEntry:
        return {}


def gradekit_scores(root):
    from gradekit import gradebook
    from gradekit.course import Course
    return gradebook.scores(Course(root), ASSIGNMENT)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="4 small submissions, 1 repetition (for the test suite)")
    parser.add_argument("--out", type=Path, help="also write the report as Markdown to FILE")
    parser.add_argument("--reps", type=int, default=3,
                        help="repetitions of each single-notebook mode and upload (full mode)")
    parser.add_argument("--batch-reps", type=int, default=1,
                        help="repetitions of each gradekit batch (stock: always 1)")
    parser.add_argument("--server-timeout", type=float, default=300.0,
                        help="seconds to wait for `gradekit serve` to be ready")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course copies")
    args = parser.parse_args(argv)
    return Benchmark(args).main()


if __name__ == "__main__":
    sys.exit(main())
