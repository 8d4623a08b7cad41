"""Confinement the sandboxed interpreter applies to itself before any student code runs.

Order matters: heavy imports first (they need the full view of site-packages), then (root,
fallback) an IPC namespace and a size-capped scratch tmpfs of its own, then drop to the
sandbox's own uid (so RLIMIT_NPROC counts only this sandbox and no file of root's is
writable), then Landlock (fallback only: bubblewrap already hides the course), then rlimits,
then the seccomp filter last, because the steps before it need mount, unshare and prctl.
"""
import ctypes
import os
import resource
import signal

try:                     # gradekit.sandbox.inside.confine (the trusted side, e.g. doctor)
    from . import seccomp
except ImportError:      # confine beside child.py in the sandbox, outside any package
    import seccomp

# Landlock ABI (linux/landlock.h); syscall numbers are the same on every architecture.
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
PR_SET_NO_NEW_PRIVS = 38
FS_READ = 1 | 4 | 8                     # EXECUTE, READ_FILE, READ_DIR
FS_ALL_V1 = (1 << 13) - 1               # every filesystem right of ABI 1
FS_EXTRA = {2: 1 << 13, 3: 1 << 14, 5: 1 << 15}   # REFER, TRUNCATE, IOCTL_DEV by ABI
NET_ALL = 1 | 2                         # BIND_TCP, CONNECT_TCP (ABI 4)
SCOPE_ALL = 1 | 2                       # abstract unix sockets, signals (ABI 6)
CLONE_NEWNS, MS_RDONLY, MS_NOSUID, MS_NODEV = 0x20000, 1, 2, 4
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID = 0x08000000, 0x10000000, 0x20000000
PR_SET_PDEATHSIG = 1
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 0x4000, 1 << 18


class RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi():
    """Landlock ABI version of this kernel, 0 when unsupported."""
    try:
        return max(0, _libc().syscall(SYS_CREATE_RULESET, None, 0, 1))
    except (OSError, AttributeError):
        return 0


def landlock(read_paths, write_paths):
    """Allow reading read_paths and everything under write_paths; deny all other files and TCP."""
    abi = landlock_abi()
    if abi < 1:
        return None
    libc = _libc()
    fs_all = FS_ALL_V1 | sum(bit for version, bit in FS_EXTRA.items() if abi >= version)
    attr = RulesetAttr(fs_all, NET_ALL if abi >= 4 else 0, SCOPE_ALL if abi >= 6 else 0)
    size = ctypes.sizeof(RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return None
    for paths, rights in ((read_paths, FS_READ), (write_paths, fs_all)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            if not os.path.isdir(path):
                rights &= 2 | 4 | (1 << 14 if abi >= 3 else 0)  # files take file rights only
            rule = PathBeneath(rights, fd)
            libc.syscall(SYS_ADD_RULE, ruleset, 1, ctypes.byref(rule), 0)
            os.close(fd)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) != 0:
        return None
    os.close(ruleset)
    return abi


def _mount(source, target, fstype, flags, options=None):
    if _libc().mount(source, target.encode(), fstype, flags, options) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}")


def _unshare(flags, what):
    if _libc().unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), f"unshare({what})")


def private_mounts():
    """A mount namespace of this process's own: what it mounts, nobody else sees."""
    _unshare(CLONE_NEWNS, "CLONE_NEWNS")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


def own_namespaces():
    """New mount, IPC and pid namespaces for this process's next child (its pid 1): nothing
    SysV or POSIX-queue one submission leaves is seen by the next, and when that pid 1 dies
    the kernel kills every process left in its namespace.  Without root they are made in a
    user namespace of our own that maps only our uid (as bubblewrap does).  False where the
    host refuses (no unprivileged user namespaces): the sandbox then runs without them."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID
    try:
        _unshare(flags if uid == 0 else flags | CLONE_NEWUSER, "mount, IPC, pid namespaces")
    except OSError:
        return False
    if uid != 0:
        for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny"),
                           ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    return True


def become_pid_one(close=()):
    """After own_namespaces: fork the namespace's pid 1 and return in it.  This process stays
    as its keeper, closes `close`, and ends as it ends (same exit code or signal); when the
    keeper is killed, the pid 1 gets SIGKILL (a parent-death signal the seccomp filter keeps
    set), and the kernel then kills the rest of the namespace."""
    first = os.fork()
    if first == 0:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return
    for fd in close:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _, status = os.waitpid(first, 0)
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def capped_scratch(folder, size, uid):
    """Lay a tmpfs of `size` bytes, owned by uid, over the fallback's scratch folder: what the
    submission writes there is memory, capped, and gone with the sandbox.  Needs root, or the
    user namespace of own_namespaces; False without either."""
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    try:
        private_mounts()
        _mount(b"tmpfs", folder, b"tmpfs", MS_NOSUID | MS_NODEV,
               f"size={size},mode=0700{owner}".encode())
    except OSError:
        return False
    os.chdir(folder)    # the old cwd is the folder under the new mount
    return True


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


def drop_capabilities():
    """Hold no capability, also none in a user namespace of our own (made without root)."""
    header = CapHeader(0x20080522, 0)                 # _LINUX_CAPABILITY_VERSION_3
    data = (ctypes.c_uint32 * 6)()                    # effective, permitted, inheritable x2
    return _libc().capset(ctypes.byref(header), data) == 0


def cover(folder, keep=(), options="mode=1777"):
    """Lay a fresh tmpfs over `folder`; folders `keep` inside it are bound back read-only.

    They are held open across the new mount, which would otherwise hide them.
    """
    held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep}
    _mount(b"tmpfs", folder, b"tmpfs", MS_NOSUID | MS_NODEV, options.encode())
    for path, fd in held.items():
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}".encode(), path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        os.close(fd)


def reveal(hidden):
    """Show folders the throwaway uid could not enter ({closed folder: [folders inside]})."""
    private_mounts()
    for folder, keep in hidden.items():
        cover(folder, keep, options="mode=0755")


def drop_privileges(uid):
    """Become uid (only possible, and only needed, when started as root)."""
    if uid is None or os.getuid() != 0:
        return False
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return True


def set_limits(limits):
    """Hard and soft limits alike, so student code cannot raise them again."""
    names = {"cpu_s": resource.RLIMIT_CPU, "memory_bytes": resource.RLIMIT_AS,
             "processes": resource.RLIMIT_NPROC, "file_bytes": resource.RLIMIT_FSIZE,
             "open_files": resource.RLIMIT_NOFILE}
    for name, value in limits.items():
        resource.setrlimit(names[name], (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def apply(settings):
    """Confine this process as settings say; returns the list of measures in force."""
    measures = []
    if settings.get("reveal") and os.getuid() == 0:
        reveal(settings["reveal"])
    if settings.get("landlock"):   # fallback: bubblewrap gives a capped /tmp itself
        if capped_scratch(settings["write_paths"][0], settings["scratch_bytes"],
                          settings.get("uid")):
            measures.append("capped scratch")
    if drop_privileges(settings.get("uid")):
        measures.append("own uid")
    elif os.getuid() != 0:
        drop_capabilities()
    if settings.get("landlock"):
        abi = landlock(settings["read_paths"], settings["write_paths"])
        measures.append(f"landlock v{abi}" if abi else "no landlock")
    set_limits(settings["limits"])
    measures.append("rlimits")
    if seccomp.install():
        measures.append("seccomp")
    return measures
