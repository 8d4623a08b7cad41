"""`gradekit doctor`'s lines on how far sandboxes are kept from the host and from each other.

Measured inside a real sandbox (the same start as a grading's): the seccomp filter, whether
user namespaces can be made inside, whether its IPC namespace is the host's; and from the
host: which cgroup version and controllers sandboxes get.  None of these stops grading, so
they warn, never fail: without them the sandbox is weaker, and the line says how.
"""
import os

PROBE = """
import ctypes, os
def isolation():
    status = dict(line.split(':', 1) for line in open('/proc/self/status') if ':' in line)
    libc = ctypes.CDLL(None, use_errno=True)
    userns = libc.unshare(0x10000000) == 0
    return {'seccomp': status.get('Seccomp', '').strip(), 'userns': userns,
            'ipc': os.readlink('/proc/self/ns/ipc')}
"""


def check_isolation(found):
    from ..sandbox import cgroups
    from ..sandbox.client import Sandbox
    from ..sandbox.launch import bwrap_path, disables_userns
    try:
        with Sandbox([("doctor isolation", PROBE)], budget_s=90) as box:
            inside = box.call("isolation")
            grouped = box.process.group is not None and bool(box.process.group.folders)
    except Exception as exc:   # the sandbox line above already says why it cannot start
        found.warn("isolation", f"not measured: {str(exc).splitlines()[0][:200]}")
        return
    if inside["seccomp"] == "2":
        found.ok("seccomp", "filter active inside: mount, unshare, setns, ptrace, keyctl, bpf, "
                            "SysV/POSIX-queue IPC, memfd and more are refused")
    else:
        found.warn("seccomp", f"not active inside ({os.uname().machine} has no filter table):"
                              " student code can make every system call")
    bwrap = bwrap_path()
    via = "seccomp" + (", bubblewrap --disable-userns" if bwrap and os.getuid() != 0
                       and disables_userns(bwrap) else "")
    if inside["userns"]:
        found.warn("user namespaces", "student code can create them inside (and mount in them)")
    else:
        found.ok("user namespaces", f"disabled inside ({via})")
    if inside["ipc"] != os.readlink("/proc/self/ns/ipc"):
        found.ok("IPC namespace", "each sandbox and warm fork has its own")
    else:
        found.warn("IPC namespace", "the host's: SysV shared memory is reachable only through "
                                    "the seccomp filter's refusal")
    version, what = cgroups.describe()
    if version and grouped:
        found.ok("cgroups", f"{what}: a CPU share, memory (shm, tmpfs, page cache included) and "
                            "a process limit per sandbox; call limits count CPU time")
    else:
        found.warn("cgroups", f"not used ({what if not version else 'the group was not made'}):"
                              " no CPU share per sandbox (a busy neighbour can push an honest "
                              "call past its wall-clock limit) and no memory limit over all of"
                              " a sandbox's processes (RLIMIT_AS per process, capped /tmp)")
