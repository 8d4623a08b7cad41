"""A seccomp filter that denies the system calls student code has no use for.

Classic BPF written out by hand (no library to install): check the architecture first (a
32-bit call through `int 0x80` on x86_64 arrives with another one and kills the process),
then deny the listed calls with EPERM.  `clone` is allowed without namespace flags (fork,
threads); `clone3` answers ENOSYS, which makes the C library fall back to `clone`, whose
flags the filter can read (clone3's live in memory it cannot).

Denied: namespaces and mounts (a user namespace would bring mounts of its own), another
process's memory or files (ptrace, process_vm_*, kcmp, pidfd_getfd), undoing the signal that
ends a warm fork with its keeper (prctl PR_SET_PDEATHSIG), the kernel's keyrings,
BPF and perf, modules, kexec, swap, reboot, clocks and names of the host, userfaultfd,
io_uring, file handles, and every SysV / POSIX message IPC and memfd (memory no rlimit
counts: one submission could leave it for the next, or fill RAM beside its RLIMIT_AS).
"""
import ctypes
import platform
import struct

# (name, x86_64 number, aarch64 number)
DENIED = (
    ("mount", 165, 40), ("umount2", 166, 39), ("pivot_root", 155, 41), ("chroot", 161, 51),
    ("unshare", 272, 97), ("setns", 308, 268), ("open_tree", 428, 428),
    ("move_mount", 429, 429), ("fsopen", 430, 430), ("fsconfig", 431, 431),
    ("fsmount", 432, 432), ("fspick", 433, 433), ("mount_setattr", 442, 442),
    ("ptrace", 101, 117), ("process_vm_readv", 310, 270), ("process_vm_writev", 311, 271),
    ("kcmp", 312, 272), ("pidfd_getfd", 438, 438),
    ("keyctl", 250, 219), ("add_key", 248, 217), ("request_key", 249, 218),
    ("bpf", 321, 280), ("perf_event_open", 298, 241), ("userfaultfd", 323, 282),
    ("io_uring_setup", 425, 425), ("io_uring_enter", 426, 426),
    ("io_uring_register", 427, 427),
    ("kexec_load", 246, 104), ("kexec_file_load", 320, 294), ("init_module", 175, 105),
    ("finit_module", 313, 273), ("delete_module", 176, 106), ("swapon", 167, 224),
    ("swapoff", 168, 225), ("reboot", 169, 142), ("acct", 163, 89), ("quotactl", 179, 60),
    ("syslog", 103, 116), ("vhangup", 153, 58), ("settimeofday", 164, 170),
    ("clock_settime", 227, 112), ("adjtimex", 159, 171), ("clock_adjtime", 305, 266),
    ("sethostname", 170, 161), ("setdomainname", 171, 162),
    ("open_by_handle_at", 304, 265), ("name_to_handle_at", 303, 264),
    ("shmget", 29, 194), ("shmat", 30, 196), ("shmctl", 31, 195), ("shmdt", 67, 197),
    ("semget", 64, 190), ("semop", 65, 193), ("semctl", 66, 191), ("semtimedop", 220, 192),
    ("msgget", 68, 186), ("msgsnd", 69, 189), ("msgrcv", 70, 188), ("msgctl", 71, 187),
    ("mq_open", 240, 180), ("mq_unlink", 241, 181), ("mq_timedsend", 242, 182),
    ("mq_timedreceive", 243, 183), ("mq_notify", 244, 184), ("mq_getsetattr", 245, 185),
    ("memfd_create", 319, 279),
)
ARCHES = {  # machine: (AUDIT_ARCH_*, column in DENIED, clone, clone3, prctl, seccomp)
    "x86_64": (0xC000003E, 1, 56, 435, 157, 317),
    "aarch64": (0xC00000B7, 2, 220, 435, 167, 277),
}
X32_BIT = 0x40000000            # x86_64's x32 ABI: another table under the same arch
NAMESPACE_FLAGS = (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
                   | 0x20000000 | 0x40000000)   # CLONE_NEWNS, NEWCGROUP, UTS, IPC, USER, PID, NET
PR_SET_PDEATHSIG = 1            # a warm fork's pid 1 dies with its keeper: not to be undone
EPERM, ENOSYS = 1, 38

# classic BPF
LD_W_ABS, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
RET_ALLOW, RET_KILL_PROCESS, RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
NR, ARCH, ARG0 = 0, 4, 16       # offsets in struct seccomp_data (ARG0: its low 32 bits)


def program(machine=None):
    """The filter for this machine as bytes of struct sock_filter, or None (unknown arch)."""
    machine = machine or platform.machine()
    if machine not in ARCHES:
        return None
    arch, column, clone, clone3, prctl, _ = ARCHES[machine]
    code = [(LD_W_ABS, 0, 0, ARCH), (JEQ_K, 1, 0, arch), (RET_K, 0, 0, RET_KILL_PROCESS),
            (LD_W_ABS, 0, 0, NR)]
    if machine == "x86_64":
        code.append((JGE_K, "deny", 0, X32_BIT))
    code += [(JEQ_K, "deny", 0, row[column]) for row in DENIED]
    code += [(JEQ_K, "nosys", 0, clone3),
             (JEQ_K, 0, 2, prctl), (LD_W_ABS, 0, 0, ARG0),
             (JEQ_K, "deny", "allow", PR_SET_PDEATHSIG),
             (JEQ_K, 0, "allow", clone),
             (LD_W_ABS, 0, 0, ARG0), (JSET_K, "deny", "allow", NAMESPACE_FLAGS)]
    labels = {"allow": len(code), "deny": len(code) + 1, "nosys": len(code) + 2}
    code += [(RET_K, 0, 0, RET_ALLOW), (RET_K, 0, 0, RET_ERRNO | EPERM),
             (RET_K, 0, 0, RET_ERRNO | ENOSYS)]

    def offset(at, target):   # a jump counts from the instruction after it
        return labels[target] - at - 1 if isinstance(target, str) else target

    return b"".join(struct.pack("=HBBI", op, offset(i, jt), offset(i, jf), k)
                    for i, (op, jt, jf, k) in enumerate(code))


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install():
    """Filter this process and all its threads, for good; False where it cannot be done."""
    filters = program()
    if filters is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(filters, len(filters))
    prog = SockFprog(len(filters) // 8, ctypes.addressof(buffer))
    if libc.prctl(38, 1, 0, 0, 0) != 0:            # PR_SET_NO_NEW_PRIVS: we hold no caps then
        return False
    seccomp_nr = ARCHES[platform.machine()][5]
    # SECCOMP_SET_MODE_FILTER with TSYNC: threads a preloaded library started are filtered too
    if libc.syscall(seccomp_nr, 1, 1, ctypes.byref(prog)) == 0:
        return True
    return libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0   # PR_SET_SECCOMP, MODE_FILTER
