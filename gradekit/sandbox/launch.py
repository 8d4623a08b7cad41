"""How the sandboxed interpreter is started: bubblewrap where present, else a confined child.

Both levels start `python -I child.py` with a scrubbed environment, its own session (so the
whole process group can be killed) and, when we are root, a throwaway uid per sandbox.
"""
import functools
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import interpreter, uids

CHILD_DIR = Path(__file__).resolve().parent / "inside"   # the only folder bound into the sandbox
INSIDE_DIR = "/opt/gradekit-sandbox"     # where bubblewrap shows CHILD_DIR
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/passwd",
                "/etc/group", "/etc/nsswitch.conf")


@dataclass(frozen=True)
class ResourceLimits:
    """Resource limits of one sandbox (the whole submission, every call included)."""

    cpu_s: int = 300
    memory_bytes: int = 3 << 30      # address space; numpy + sklearn need ~1.5 GiB of it
    processes: int = 64
    file_bytes: int = 32 << 20
    open_files: int = 256
    tmp_bytes: int = 64 << 20
    # the whole sandbox in its cgroup (cgroups.py): shm, tmpfs, page cache, twins included
    memory_total_bytes: int = 2 << 30


def bwrap_path():
    """The bubblewrap binary unless GRADEKIT_SANDBOX=fallback asks to go without it."""
    if os.environ.get("GRADEKIT_SANDBOX", "auto") == "fallback":
        return None
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=None)
def disables_userns(bwrap):
    """Whether this bubblewrap has --disable-userns (0.8 and later)."""
    try:
        shown = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--disable-userns" in shown.stdout


def sandbox_uid():
    """A throwaway uid when root (limits and signals then touch only this sandbox), reserved
    for it alone (uids.py); give it back with uids.release after killing its processes."""
    return uids.reserve() if os.getuid() == 0 else None


def child_env(home):
    """The environment student code sees: no secrets, one BLAS thread (see RLIMIT_AS)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": home, "PYTHONHASHSEED": "0"}
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):   # machine quirks, see env notes
        if var in os.environ:
            env[var] = os.environ[var]
    return env


@dataclass
class Plan:
    """Everything needed to start one sandbox: argv, env, cwd and what it is called."""

    argv: list
    env: dict
    cwd: str
    level: str
    uid: int | None
    scratch: str | None   # a host folder to remove afterwards (fallback level only)


def confinement(limits, uid, scratch=None):
    """The settings child.py confines itself with (uid: sandbox_uid()'s)."""
    settings = {"uid": uid, "landlock": scratch is not None,
                "limits": {k: v for k, v in asdict(limits).items()
                           if k not in ("tmp_bytes", "memory_total_bytes")}}
    if scratch is not None:   # fallback: Landlock keeps the child to its scratch folder
        if uid is not None:   # folders the throwaway uid could not enter, shown in a private view
            settings["reveal"] = interpreter.hidden_from_others(extra=[CHILD_DIR])
        settings.update(write_paths=[scratch, "/dev/null"], scratch_bytes=limits.tmp_bytes,
                        read_paths=interpreter.roots() + [
                            str(CHILD_DIR), "/usr", "/lib", "/lib64", "/bin", "/etc", "/proc",
                            "/sys", "/dev/urandom"])
    return settings


def make_scratch(uid):
    """A private host folder for a fallback sandbox, owned by its uid."""
    scratch = tempfile.mkdtemp(prefix="gradekit-sandbox-")
    if uid is not None:
        os.chown(scratch, uid, uid)
    return scratch


def plan(limits, script="child.py", preload=()):
    """Choose the level and build the command line for a fresh sandbox running `script`
    that imports the modules `preload` before it confines itself."""
    python = interpreter.executable()
    bwrap = bwrap_path()
    if bwrap:
        settings = dict(confinement(limits, sandbox_uid()), preload=list(preload))
        argv = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
        if os.getuid() != 0:
            argv.append("--unshare-user")
            # no user namespaces inside (and with them no mounts of the student's own); the
            # zygote needs one per fork (zygote.py), and the seccomp filter then forbids more
            if script == "child.py" and disables_userns(bwrap):
                argv.append("--disable-userns")
        shown = []
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                argv += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                argv += ["--ro-bind", path, path]
                shown.append(path)
        for path in SYSTEM_FILES:
            argv += ["--ro-bind-try", path, path]
        # the private /tmp comes before the environment's binds: an environment that lives
        # under /tmp is then bound on top of it instead of being hidden by it
        argv += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
        for root in interpreter.roots():
            if not any(root == s or root.startswith(s + "/") for s in shown):
                argv += ["--ro-bind", root, root]
                shown.append(root)
        argv += ["--ro-bind", str(CHILD_DIR), INSIDE_DIR]
        # bwrap copies the host's modes onto the folders it creates above a bind (e.g. a 0700
        # /root above a pyenv install): open them up so the dropped uid can reach the binds.
        parents = {str(p) for s in shown + [INSIDE_DIR] for p in Path(s).parents
                   if str(p) not in ("/", "/tmp")}
        for parent in sorted(parents - set(shown)):
            argv += ["--chmod", "0755", parent]
        # /dev read-only but for a capped /dev/shm: no uncapped tmpfs is left to fill
        argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(limits.tmp_bytes),
                 "--perms", "1777", "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
                 "--chdir", "/tmp",
                 "--", python, "-I", f"{INSIDE_DIR}/{script}", json.dumps(settings)]
        return Plan(argv, child_env("/tmp"), "/", "bubblewrap", settings["uid"], None)
    uid = sandbox_uid()
    scratch = make_scratch(uid)
    settings = dict(confinement(limits, uid, scratch), preload=list(preload))
    argv = [python, "-I", str(CHILD_DIR / script), json.dumps(settings)]
    return Plan(argv, child_env(scratch), scratch, "fallback: no bubblewrap", uid, scratch)
