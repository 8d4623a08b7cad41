"""Attacks of one submission on the host and on its neighbours: kernel surface, memory no
rlimit counts, state left for the next student, processes that outlive their grading, busy
processes that slow an honest neighbour.

Each runs at both sandbox levels, on a cold sandbox and on a warm fork.
"""
import os
import time

import pytest

from gradekit.sandbox import ResourceLimits, Sandbox, StudentError, cgroups
from gradekit.sandbox.starters import ZygoteStart


@pytest.fixture(params=["cold", "warm"])
def starter(request, sandbox_mode):
    """None (a cold sandbox per submission) or a zygote at the level under test."""
    if request.param == "cold":
        yield None
        return
    zygote = ZygoteStart()
    yield zygote
    zygote.close()


def start(code, starter, **kwargs):
    return Sandbox([("cell 1", code)], starter=starter, **kwargs).start()


KERNEL = """
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
def attempt(call):
    result = call()
    return ctypes.get_errno() if result == -1 else 'allowed'
def memfd():
    try:
        os.close(os.memfd_create('x'))
        return 'allowed'
    except OSError as exc:
        return exc.errno
def surface():
    return {
        'unshare user': attempt(lambda: libc.unshare(0x10000000)),
        'unshare mount': attempt(lambda: libc.unshare(0x00020000)),
        'clone user': attempt(lambda: libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)),
        'mount': attempt(lambda: libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)),
        'ptrace': attempt(lambda: libc.ptrace(16, os.getppid(), 0, 0)),
        'keyctl': attempt(lambda: libc.syscall(250, 0, -3, 0, 0)),
        'bpf': attempt(lambda: libc.syscall(321, 0, 0, 0)),
        'shmget': attempt(lambda: libc.shmget(0, 1 << 20, 0o1000 | 0o600)),
        'msgget': attempt(lambda: libc.msgget(0, 0o1000 | 0o600)),
        'memfd': memfd(),
        'no parent-death signal': attempt(lambda: libc.prctl(1, 0, 0, 0, 0)),
        'capabilities': 1 if int(dict(line.split(':', 1) for line in open('/proc/self/status')
                                      if ':' in line)['CapEff'], 16) == 0 else 'held',
    }
def fork_still_works():
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
"""


@pytest.mark.skipif(os.uname().machine not in ("x86_64",), reason="raw syscall numbers")
def test_kernel_surface_is_closed(starter):
    with start(KERNEL, starter) as sandbox:
        assert "seccomp" in sandbox.level
        denied = sandbox.call("surface")
        assert denied == {name: 1 for name in denied}      # EPERM, every one
        assert sandbox.call("fork_still_works") == 7


FILL = """
import os
def fill(folder, total_mb):
    written = 0
    try:
        for index in range(total_mb // 16):
            with open(os.path.join(folder, f'f{index}'), 'wb') as handle:
                handle.write(b'x' * (16 << 20))
            written += 16
    except OSError:
        pass
    return written
def shm():
    return fill('/dev/shm', 256) if os.path.isdir('/dev/shm') else 0
def dev():
    try:
        open('/dev/filler', 'wb').close()
        return 'allowed'
    except OSError:
        return 'denied'
"""


def test_files_in_memory_are_capped(starter, sandbox_mode):
    """tmpfs the submission writes to (its /tmp or scratch, /dev/shm) hold at most tmp_bytes;
    nothing else under /dev is writable.  (Uncapped only: the fallback without root on a host
    that refuses unprivileged user namespaces.)"""
    with start(FILL, starter) as sandbox:
        cap_mb = sandbox.limits.tmp_bytes >> 20
        here = sandbox.call("fill", ".", 256)
        if sandbox_mode == "fallback" and os.getuid() == 0:
            assert "capped scratch" in sandbox.level
        if sandbox_mode == "bubblewrap" or "capped scratch" in sandbox.level:
            assert here <= cap_mb
        if sandbox_mode == "bubblewrap":
            assert sandbox.call("shm") <= cap_mb
            assert sandbox.call("dev") == "denied"


LEAVE_IPC = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def leave():
    segment = libc.shmget(4242, 1 << 20, 0o1000 | 0o666)
    queue = libc.msgget(4242, 0o1000 | 0o666)
    return [segment, queue]
def find():
    table = open('/proc/sysvipc/shm').read().splitlines()[1:]
    return [libc.shmget(4242, 0, 0), libc.msgget(4242, 0), len(table)]
"""


def test_ipc_left_by_one_submission_is_not_seen_by_the_next(starter):
    with start(LEAVE_IPC, starter) as first:
        assert first.call("leave") == [-1, -1]
    with start(LEAVE_IPC, starter) as second:
        assert second.call("find") == [-1, -1, 0]


SLEEPER = """
import os, subprocess
def escape(marker):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            subprocess.Popen(['sleep', marker], start_new_session=True)
            os._exit(0)
        os._exit(0)
    return 'left'
"""


def running(marker):
    """PIDs of host processes whose command line holds `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker.encode() in handle.read().split(b"\0"):
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize("uid", ["own uid", "no throwaway uid"])
def test_processes_die_with_their_grading(starter, uid, monkeypatch):
    """A double-forked sleeper in its own session is gone once the grading ends, also where
    no throwaway uid marks the sandbox's processes (not root)."""
    if uid == "no throwaway uid":
        monkeypatch.setattr("gradekit.sandbox.launch.sandbox_uid", lambda: None)
    marker = f"{4000 + os.getpid() % 1000}.{time.monotonic_ns() % 10**6}"
    with start(SLEEPER, starter) as sandbox:
        assert sandbox.call("escape", marker) == "left"
        deadline = time.monotonic() + 5
        while not running(marker):
            assert time.monotonic() < deadline, "the sleeper never started"
            time.sleep(0.05)
    deadline = time.monotonic() + 5
    while running(marker):
        assert time.monotonic() < deadline, f"outlived its grading: {running(marker)}"
        time.sleep(0.05)



needs_cgroups = pytest.mark.skipif(cgroups.host()[0] is None,
                                   reason=f"no cgroups here: {cgroups.host()[1]}")

SPREAD = """
import os, time
def spread(children, mb):
    pids = []
    for _ in range(children):
        pid = os.fork()
        if pid == 0:
            block = bytearray(mb << 20)      # each one well under RLIMIT_AS
            time.sleep(1.0)
            os._exit(0)
        pids.append(pid)
    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
"""


@needs_cgroups
def test_memory_of_all_its_processes_is_limited(starter):
    """Processes each under RLIMIT_AS do not add up past the sandbox's memory limit."""
    limits = ResourceLimits(memory_total_bytes=320 << 20)
    with start(SPREAD, starter, limits=limits) as sandbox:
        try:
            codes = sandbox.call("spread", 4, 120)
        except StudentError as exc:         # the kernel chose the caller itself
            assert exc.kind == "crashed"
        else:
            assert -9 in codes


HOG = """
import os, time
def hog(processes, seconds):
    end = time.monotonic() + seconds
    for _ in range(processes):
        if os.fork() == 0:
            while time.monotonic() < end:
                pass
            os._exit(0)
    return processes
"""
HONEST = """
import time
def work(cpu_s):
    end = time.process_time() + cpu_s
    while time.process_time() < end:
        pass
    return 'done'
"""


@needs_cgroups
@pytest.mark.parametrize("path,level", [("cold", "bubblewrap"), ("warm", "fallback")])
def test_busy_neighbours_cost_an_honest_call_nothing(path, level, monkeypatch):
    """A submission busy in 24 processes beside an honest call that needs 0.5 s of CPU with a
    limit of 1 s: the honest call gets its CPU share, and its limit counts CPU, not the wait
    (also the wait for CPUs the rest of the host keeps busy)."""
    monkeypatch.setenv("GRADEKIT_SANDBOX", "fallback" if level == "fallback" else "auto")
    zygote = ZygoteStart() if path == "warm" else None
    try:
        with start(HOG, zygote) as hog, start(HONEST, zygote, call_timeout=1.0) as honest:
            assert hog.call("hog", 24, 6.0) == 24
            assert honest.call("work", 0.5) == "done"
    finally:
        if zygote is not None:
            zygote.close()


def test_doctor_reports_the_isolation_in_force(sandbox_mode, capsys):
    from gradekit.diagnostics.findings import Findings
    from gradekit.diagnostics.isolation import check_isolation
    found = Findings()
    check_isolation(found)
    lines = capsys.readouterr().out
    assert not found.broken
    for what in ("seccomp: filter active", "user namespaces: disabled inside",
                 "IPC namespace: each sandbox", "cgroups: "):
        assert what in lines
    if cgroups.host()[0] is None:
        assert "warn  cgroups: not used" in lines
    else:
        assert f"ok    cgroups: {cgroups.describe()[1]}" in lines


def test_the_filter_builds_for_every_architecture_it_names():
    """Jump offsets fit classic BPF's 8 bits and each table has every call once."""
    from gradekit.sandbox.inside import seccomp
    for machine, (_, column, *_) in seccomp.ARCHES.items():
        numbers = [row[column] for row in seccomp.DENIED]
        assert len(set(numbers)) == len(numbers), machine
        assert len(seccomp.program(machine)) % 8 == 0
    assert seccomp.program("sparc64") is None


@needs_cgroups
def test_groups_of_a_worker_killed_mid_grading_are_removed():
    import subprocess
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = [base / f"sandbox-{gone.pid}-0" for base in cgroups.host()[1].values()]
    for folder in stale:
        folder.mkdir(exist_ok=True)
    cgroups.host.cache_clear()
    assert cgroups.host()[0] is not None
    assert not any(folder.exists() for folder in stale)
