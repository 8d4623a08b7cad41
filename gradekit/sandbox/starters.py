"""Ways to get a fresh sandboxed interpreter: a new process (cold) or a zygote fork (warm).

Either way the client gets two pipe ends and a handle that can kill everything the sandbox
started; nothing else about the sandbox differs.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field

from . import cgroups, interpreter, uids
from .launch import plan
from .reaper import kill_uid


@dataclass
class Started:
    """A running sandbox interpreter as the client sees it."""

    requests: int                 # write end: JSON requests
    answers: int                  # read end: JSON answers
    level: str                    # "bubblewrap" or "fallback: no bubblewrap"
    uid: int | None               # the throwaway uid, when we are root
    stop: object                  # () -> None: SIGKILL the whole tree, remove scratch
    exit_code: object             # (timeout) -> int | None
    log: object = field(default=None)   # file with the interpreter's own stdout/stderr
    forks: object = field(default=None)  # socket that carries pipe ends to check forks
    group: object = field(default=None)  # its cgroups.Group (root, where the host has them)

    def tail(self):
        """The last lines the interpreter wrote outside the protocol (for crash reports)."""
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        return self.log.read()[-400:].decode(errors="replace").strip()


class ColdStart:
    """A new `python -I child.py` per sandbox, under bubblewrap or the fallback."""

    def __init__(self, preload=()):
        self.preload = tuple(preload)   # modules imported before confinement

    def __call__(self, limits):
        launch = plan(limits, preload=self.preload)
        group = cgroups.Group(limits, launch.uid) if launch.uid is not None else None
        requests_r, requests_w = os.pipe()
        answers_r, answers_w = os.pipe()
        forks, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        log = tempfile.TemporaryFile()
        settings = json.loads(launch.argv[-1])   # child.py reads its fds from the settings
        settings["fds"] = [requests_r, answers_w, theirs.fileno()]
        launch.argv[-1] = json.dumps(settings)
        process = subprocess.Popen(
            launch.argv, env=launch.env, cwd=launch.cwd, stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, pass_fds=settings["fds"], start_new_session=True)
        os.close(requests_r)
        os.close(answers_w)
        theirs.close()

        def stop():
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
            if launch.uid is not None:
                kill_uid(launch.uid)
                group.remove()
                uids.release(launch.uid)
            if launch.scratch:
                subprocess.run(["rm", "-rf", "--one-file-system", launch.scratch], check=False)
            log.close()
            forks.close()

        def exit_code(timeout):
            try:
                return process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return None

        return Started(requests_w, answers_r, launch.level, launch.uid, stop, exit_code, log,
                       forks, group)


class ZygoteStart:
    """Fork a pre-imported zygote (warm mode): no interpreter or library start-up per sandbox.

    The zygote is started once, like a cold sandbox but unconfined; each fork confines itself
    with a fresh uid, a private /tmp (bubblewrap) or scratch folder (fallback), and rlimits,
    exactly as a cold child does, so one submission can see nothing of another.
    """

    def __init__(self, limits=None, preload=()):
        from .launch import ResourceLimits
        self.limits = limits or ResourceLimits()
        self.launch = plan(self.limits, script="zygote.py", preload=preload)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        settings = json.loads(self.launch.argv[-1])
        settings["control_fd"] = theirs.fileno()
        self.launch.argv[-1] = json.dumps(settings)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.launch.argv, env=self.launch.env, cwd=self.launch.cwd,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            pass_fds=(theirs.fileno(),), start_new_session=True)
        theirs.close()
        self.bubblewrap = self.launch.level == "bubblewrap"

    def __call__(self, limits):
        from .launch import confinement, make_scratch, sandbox_uid
        uid = sandbox_uid()
        group = cgroups.Group(limits, uid) if uid is not None else None
        scratch = None if self.bubblewrap else make_scratch(uid)
        settings = confinement(limits, uid, scratch)
        requests_r, requests_w = os.pipe()
        answers_r, answers_w = os.pipe()
        forks, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        request = {"op": "fork", "settings": settings, "scratch": scratch,
                   "tmp_bytes": limits.tmp_bytes, "keep": interpreter.under_tmp()}
        socket.send_fds(self.control, [json.dumps(request).encode()],
                        [requests_r, answers_w, theirs.fileno()])
        os.close(requests_r)
        os.close(answers_w)
        theirs.close()
        pid = json.loads(self.control.recv(4096) or b'{"pid": null}')["pid"]

        def stop():
            if uid is not None:
                kill_uid(uid)
                group.remove()
                uids.release(uid)
            elif pid:
                self.control.send(json.dumps({"op": "kill", "pid": pid}).encode())
            if scratch:
                subprocess.run(["rm", "-rf", "--one-file-system", scratch], check=False)
            forks.close()

        return Started(requests_w, answers_r, self.launch.level, uid, stop, lambda _: None,
                       self.log, forks, group)

    def close(self):
        """Stop the zygote (its forks are stopped by their own handles)."""
        self.control.close()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        if self.launch.uid is not None:
            kill_uid(self.launch.uid)
            uids.release(self.launch.uid)
        if self.launch.scratch:
            subprocess.run(["rm", "-rf", "--one-file-system", self.launch.scratch], check=False)
        self.log.close()
