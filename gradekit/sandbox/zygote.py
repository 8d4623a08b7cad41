"""Warm mode's pre-imported interpreter: forks one confined child.py per submission.

Started like a cold sandbox (inside bubblewrap where present) but not confined itself: it
holds no student code and no grader data, only imported libraries.  Each request on the
control socket brings two pipe ends; the fork gets a private /tmp (a new mount namespace
and tmpfs, under bubblewrap) or its scratch folder (fallback), then confines itself exactly
as a cold child does.
"""
import ctypes
import json
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import child  # noqa: E402
import codec  # noqa: E402

CLONE_NEWNS, MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x20000, 2, 4, 0x4000, 1 << 18


def private_tmp(size):
    """A /tmp of this process's own (new mount namespace), so forks never share files."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None)
    options = f"size={size},mode=1777".encode()
    if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        raise OSError(ctypes.get_errno(), "mount tmpfs /tmp")
    os.chdir("/tmp")


def serve_fork(request, fds):
    """In the forked process: fresh workspace, then the cold child's own confinement."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    try:
        if request.get("scratch"):
            os.chdir(request["scratch"])
        else:
            private_tmp(request["tmp_bytes"])
        settings = dict(request["settings"], fds=fds)
        child.run(settings)
    finally:
        os._exit(0)


def main():
    settings = json.loads(sys.argv[1])
    codec.preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # forks are reaped by the kernel
    control = socket.socket(fileno=settings["control_fd"])
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            return
        if not message:
            return                                    # the worker closed: we are done
        request = json.loads(message)
        if request["op"] == "kill":
            try:
                os.killpg(int(request["pid"]), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            serve_fork(request, fds)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    main()
