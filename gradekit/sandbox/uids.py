"""Throwaway uids for sandboxes, each held by one sandbox at a time on this host.

Drawn at random from a range, a uid used to be shared now and then by two sandboxes alive
at once (a deadline's burst runs dozens): one could signal the other, and stopping one
(`kill -9 -1` as its uid) killed the other mid-grading, which its student paid for.  A uid
is now reserved by an exclusive flock on /run/gradekit-uids/<uid> for as long as its sandbox
lives; any process of the host (workers, `gradekit upload`, nbgrader) sees the reservation,
and a process that dies releases its locks with it.
"""
import fcntl
import os
import secrets
import tempfile
import threading
from pathlib import Path

FIRST, COUNT = 60000, 5000
_held = {}   # uid -> the open lock file of this process
_lock = threading.Lock()


def _folder() -> Path:
    for base in ("/run", tempfile.gettempdir()):
        folder = Path(base) / "gradekit-uids"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            return folder
        except OSError:
            continue
    raise OSError("no folder for the sandbox uid reservations")


def reserve() -> int:
    """A uid no other live sandbox of this host holds; hold it until release(uid)."""
    folder = _folder()
    for _ in range(COUNT):
        uid = FIRST + secrets.randbelow(COUNT)
        with _lock:
            if uid in _held:
                continue
            handle = open(folder / str(uid), "a")   # close-on-exec: sandboxes never hold it
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            _held[uid] = handle
            return uid
    raise OSError(f"all {COUNT} sandbox uids are in use")


def release(uid):
    """Give the uid back (after every process of it was killed)."""
    with _lock:
        handle = _held.pop(uid, None)
    if handle is not None:
        handle.close()


def _after_fork():
    """A forked process must not give back its parent's reservations."""
    global _lock
    _lock = threading.Lock()
    _held.clear()


os.register_at_fork(after_in_child=_after_fork)
