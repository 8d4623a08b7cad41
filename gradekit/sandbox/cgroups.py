"""A control group per sandbox where the host offers them: a CPU share of its own (a
submission with many busy processes gets no more CPU than one with a single process), a
memory limit that also counts what RLIMIT_AS does not (SysV/POSIX shared memory, tmpfs and
memfd files, page cache) and a process limit for the whole sandbox, twins included.

cgroup v2 where its cpu, memory and pids controllers can be enabled below our own group
(a delegated subtree), else v1 where those hierarchies are mounted and writable.  A sandbox's
processes are found by its throwaway uid, so groups need root; without it, or where the
host gives no writable hierarchy, sandboxes run without (`gradekit doctor` says which).
"""
import functools
import itertools
import os
import time
from pathlib import Path

from .reaper import processes_of

V1_CONTROLLERS = ("cpu", "cpuacct", "memory", "pids")
_names = itertools.count()


def _mounts():
    """{fstype or v1 controller: mount point} from /proc/self/mountinfo."""
    found = {}
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            fields = line.split()
            fstype, options = fields[fields.index("-") + 1], fields[-1].split(",")
            if fstype == "cgroup2":
                found.setdefault("cgroup2", fields[4])
            elif fstype == "cgroup":
                for name in options:
                    found.setdefault(name, fields[4])
    return found


def _own_paths():
    """{v1 controller or "": this process's cgroup path} from /proc/self/cgroup."""
    paths = {}
    with open("/proc/self/cgroup") as handle:
        for line in handle:
            _, names, path = line.rstrip("\n").split(":", 2)
            for name in names.split(",") if names else [""]:
                paths[name] = path.lstrip("/")
    return paths


def _writable_base(folder):
    """`folder`/gradekit when we can create groups there, else None."""
    base = Path(folder) / "gradekit"
    try:
        base.mkdir(exist_ok=True)
        probe = base / f"probe-{os.getpid()}"
        probe.mkdir()
        probe.rmdir()
    except OSError:
        return None
    for stale in base.glob("sandbox-*-*"):   # left by a worker killed mid-grading
        if not Path(f"/proc/{stale.name.split('-')[1]}").exists():
            try:
                stale.rmdir()                 # only an empty group can go
            except OSError:
                pass
    return base


@functools.lru_cache(maxsize=None)
def host():
    """("v2", {"": base}) or ("v1", {controller: base}) or (None, why not)."""
    if os.getuid() != 0:
        return None, "not root: a sandbox's processes are found by its throwaway uid"
    mounts, own = _mounts(), _own_paths()
    if "cgroup2" in mounts:
        folder = Path(mounts["cgroup2"]) / own.get("", "")
        wanted = {"cpu", "memory", "pids"}
        try:
            offered = set((folder / "cgroup.controllers").read_text().split())
        except OSError:
            offered = set()
        if wanted <= offered:
            base = _writable_base(folder)
            try:
                (base / "cgroup.subtree_control").write_text("+cpu +memory +pids")
                return "v2", {"": base}
            except (OSError, TypeError):
                pass
    bases = {}
    for name in V1_CONTROLLERS:
        if name in mounts:
            base = _writable_base(Path(mounts[name]) / own.get(name, ""))
            if base is not None:
                bases[name] = base
    if bases:
        return "v1", bases
    return None, "no writable cgroup hierarchy (v2 with cpu, memory, pids, or v1)"


def describe():
    """One line for `gradekit doctor`: what is in force, or why not."""
    version, bases = host()
    if version is None:
        return None, bases
    if version == "v2":
        return version, "cpu.weight, memory.max, pids.max per sandbox"
    return version, ", ".join(sorted(bases)) + " per sandbox (v1)"


class Group:
    """One sandbox's cgroup(s); `join` moves the sandbox's processes in before student code
    runs, `cpu_s` is the CPU time they used, `remove` after they were killed."""

    def __init__(self, limits, uid):
        version, bases = host()
        self.uid, self.version, self.folders = uid, version, {}
        name = f"sandbox-{os.getpid()}-{next(_names)}"
        settings = {"": {"memory.max": limits.memory_total_bytes, "memory.swap.max": 0,
                         "pids.max": limits.processes, "cpu.weight": 100},
                    "memory": {"memory.limit_in_bytes": limits.memory_total_bytes},
                    "pids": {"pids.max": limits.processes},
                    "cpu": {"cpu.shares": 1024}}
        for controller, base in bases.items() if version else ():
            folder = base / name     # v1 controllers mounted together share one folder
            try:
                folder.mkdir(exist_ok=folder in self.folders.values())
                for key, value in settings.get(controller, {}).items():
                    try:
                        (folder / key).write_text(str(value))
                    except OSError:   # memory.swap.max without swap accounting
                        pass
            except OSError:
                continue
            self.folders[controller] = folder

    def join(self):
        """Move every process of the sandbox's uid into its groups."""
        pids = processes_of(self.uid) if self.folders else []
        for folder in set(self.folders.values()):
            for pid in pids:
                try:
                    (folder / "cgroup.procs").write_text(str(pid))
                except OSError:   # it ended meanwhile
                    pass

    def cpu_s(self):
        """CPU seconds the sandbox's processes used so far, or None without accounting."""
        try:
            if "" in self.folders:
                stat = (self.folders[""] / "cpu.stat").read_text().split()
                return int(stat[stat.index("usage_usec") + 1]) / 1e6
            if "cpuacct" in self.folders:
                return int((self.folders["cpuacct"] / "cpuacct.usage").read_text()) / 1e9
        except (OSError, ValueError):
            pass
        return None

    def runnable(self):
        """Whether a process of the sandbox is running or waiting for a CPU (not asleep)."""
        for folder in list(self.folders.values())[:1]:
            try:
                pids = (folder / "cgroup.procs").read_text().split()
            except OSError:
                return False
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/stat") as handle:
                        if handle.read().rsplit(")", 1)[1].split()[0] == "R":
                            return True
                except (OSError, IndexError):
                    continue
        return False

    def remove(self, patience_s=1.0):
        """Remove the groups once their killed processes have left them."""
        end = time.monotonic() + patience_s
        for folder in set(self.folders.values()):
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:   # busy: a killed process has not finished exiting
                    if time.monotonic() >= end:
                        break
                    time.sleep(0.01)
        self.folders = {}
