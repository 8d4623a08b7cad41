"""How one measurement is taken: the commands, their wall time and RSS, process trees, load."""
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def console_script(name, module):
    """The installed console script beside our interpreter (no pyenv shim), else -m module."""
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.is_file() else [sys.executable, "-m", module]


GRADEKIT = console_script("gradekit", "gradekit.cli")
NBGRADER = console_script("nbgrader", "nbgrader")


def grade_probe(assignment, path):
    """The command of one cold grading with the engine's timing and the sandbox's memory."""
    return [sys.executable, str(HERE / "grade_probe.py"), assignment, str(path)]


def child_env():
    """Our environment minus pytest's (the suite runs us) and debug switches.

    Our interpreter's folder goes first on PATH: nbgrader runs `alembic` by name, and the
    virtualenv we run from need not be activated.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST_") and k not in ("GRADEKIT_DEBUG", "COV_CORE_SOURCE")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@dataclass
class Run:
    """One finished command: wall seconds, exit code, largest RSS in its tree, output."""

    argv: list
    seconds: float
    code: int
    maxrss_mb: float
    out: str = ""
    err: str = ""

    def tail(self, lines=6):
        text = (self.err.strip() or self.out.strip()).splitlines()
        return "\n".join(text[-lines:])

    def figures(self):
        return {"seconds": self.seconds, "code": self.code, "maxrss_mb": self.maxrss_mb}


class Spawner:
    """spawner.py, started first and kept small: it forks every measured command."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-I", "-S", str(HERE / "spawner.py")],
                                        text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        time.sleep(0.2)   # its own peak RSS is the floor of every figure: reported
        self.peak_mb = memory(self.process.pid)[2]

    def run(self, argv, cwd, timeout=3600) -> Run:
        """Run argv in cwd: wall time from fork to reap, and wait4's ru_maxrss (the largest
        single process of its tree that was reaped inside it, e.g. the kernel or sandbox)."""
        with tempfile.TemporaryDirectory() as folder:
            paths = {name: os.path.join(folder, name) for name in ("stdout", "stderr")}
            job = {"argv": [str(a) for a in argv], "cwd": str(cwd), "env": child_env(),
                   "timeout": timeout, **paths}
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
            done = json.loads(self.process.stdout.readline())
            read = lambda name: Path(paths[name]).read_bytes().decode(errors="replace")
            return Run(list(argv), done["seconds"], done["code"], done["maxrss_kb"] / 1024,
                       read("stdout"), read("stderr"))

    def close(self):
        self.process.stdin.close()
        self.process.wait(30)


# -- process trees, from /proc -------------------------------------------------------------
def descendants(root):
    """{pid: start time} of root and everything below it."""
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


def memory(pid):
    """(name, VmRSS MB, VmHWM MB) of a live process, else None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    mb = lambda key: int(fields.get(key, "0 kB").split()[0]) / 1024
    return fields["Name"].strip(), mb("VmRSS"), mb("VmHWM")


class TreePeak(threading.Thread):
    """The peak of the summed VmHWM of root's descendants (root itself excluded), sampled.

    VmHWM only grows, so a sample misses at most what a process gained in its last `every`
    seconds; the processes at the peak are kept as [name, VmHWM MB].
    """

    def __init__(self, root, every=0.05):
        super().__init__(daemon=True)
        self.root, self.every, self.stopped = root, every, threading.Event()
        self.mb, self.processes, self.samples = 0.0, [], 0

    def run(self):
        while not self.stopped.is_set():
            found = [memory(pid) for pid in descendants(self.root) if pid != self.root]
            found = [[name, hwm] for name, _, hwm in filter(None, found)]
            self.samples += 1
            if sum(hwm for _, hwm in found) > self.mb:
                self.mb, self.processes = sum(hwm for _, hwm in found), found
            self.stopped.wait(self.every)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.join()


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while the benchmark runs."""

    def __init__(self, every=5.0):
        super().__init__(daemon=True)
        self.every, self.values, self.stopped = every, [], threading.Event()

    @staticmethod
    def now():
        return float(Path("/proc/loadavg").read_text().split()[0])

    def run(self):
        while not self.stopped.is_set():
            self.values.append(self.now())
            self.stopped.wait(self.every)


def machine():
    """Cores, CPU model, Python, kernel and the date, for the report's header."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "kernel": platform.release(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}
