"""Copies of a loaded sandbox interpreter, so that checks can run beside each other.

The copy is made inside the sandbox (child.py's op_fork: the loaded interpreter forks), so it
is exactly as confined as the original: the same uid, namespaces, Landlock domain and rlimits.
Its two pipe ends travel over the sandbox's fork socket.  The copy's client is meant for
another process of ours and shares nothing with the original's but the deadline: a fatal
call there is followed by a fresh sandbox of its own (cold), never by a request to the
original, which keeps one talker per pipe.  A copy that never ends is killed with the whole
sandbox when the original's client closes it.
"""
import copy
import os
import socket

from .outcomes import StudentError
from .starters import ColdStart, Started

READY_S = 10.0


def fork(sandbox):
    """A client on a new copy of `sandbox`'s loaded interpreter; None when it cannot fork
    (not loaded, out of budget, or it did not answer)."""
    process = sandbox.process
    if process is None or sandbox.exhausted or process.forks is None:
        return None
    requests_r, requests_w = os.pipe()
    answers_r, answers_w = os.pipe()
    try:
        sandbox._send({"op": "fork"})
        socket.send_fds(process.forks, [b"fork"], [requests_r, answers_w])
        pid = sandbox._receive(min(READY_S, sandbox._left())).get("pid")
    except (StudentError, OSError):
        pid = None
    finally:
        os.close(requests_r)
        os.close(answers_w)
    if not pid:
        os.close(requests_w)
        os.close(answers_r)
        return None
    twin = copy.copy(sandbox)
    twin.starter = ColdStart(sandbox.preload)
    twin.printed, twin.timed_out, twin.call_s = [], set(sandbox.timed_out), 0.0
    # its only handle is its pipes (closed by _kill): the copy ends when they close
    twin.process = Started(requests_w, answers_r, process.level, process.uid,
                           stop=lambda: None, exit_code=lambda _: None, group=process.group)
    twin._buffer = b""
    try:
        twin._receive(min(READY_S, sandbox._left()))   # its "ready"
    except StudentError:
        twin._kill()
        return None
    return twin


def release(sandbox):
    """Close this process's ends of `sandbox` without killing it (another process owns it)."""
    process = sandbox.process
    if process is None:
        return
    for fd in (process.requests, process.answers):
        try:
            os.close(fd)
        except OSError:
            pass
    if process.forks is not None:
        process.forks.close()
    sandbox.process = None
