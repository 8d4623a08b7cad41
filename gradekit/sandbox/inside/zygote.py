"""Warm mode's pre-imported interpreter: forks one confined child.py per submission.

Started like a cold sandbox (inside bubblewrap where present) but not confined itself: it
holds no student code and no grader data, only imported libraries.  Each request on the
control socket brings two pipe ends; the fork makes mount, IPC and pid namespaces of its own
and forks their pid 1, which takes a private /tmp (tmpfs, under bubblewrap) or its scratch
folder (fallback), then confines itself exactly as a cold child does.  The fork stays as
its keeper: killing it (the worker's "kill", or its uid's) kills the pid 1 (parent-death
signal, which the seccomp filter keeps set) and with it everything left in the namespace,
also processes that left the session, with or without a throwaway uid.
"""
import json
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import child  # noqa: E402
import confine  # noqa: E402

def private_tmp(size, keep=()):
    """A /tmp of this process's own (in its own mount namespace), so forks never share files;
    `keep` are folders under /tmp that must stay visible (a Python environment living there)."""
    confine.cover("/tmp", keep, options=f"size={size},mode=1777")
    os.chdir("/tmp")


def serve_fork(request, fds):
    """In the forked process: own namespaces, then their pid 1 with a fresh workspace and the
    cold child's own confinement; this process waits for it and dies with it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    # the zygote's log is read when a start fails: no submission may write into it
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        if confine.own_namespaces():
            confine.become_pid_one(close=fds)
        elif not request.get("scratch"):
            confine.private_mounts()      # the private /tmp needs a mount namespace at least
        if request.get("scratch"):
            os.chdir(request["scratch"])
        else:
            private_tmp(request["tmp_bytes"], request.get("keep", ()))
        settings = dict(request["settings"], fds=fds)
        child.run(settings)
    finally:
        os._exit(0)


def main():
    settings = json.loads(sys.argv[1])
    child.preload(settings.get("preload", ()))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # forks are reaped by the kernel
    control = socket.socket(fileno=settings["control_fd"])
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
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
