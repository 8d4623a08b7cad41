"""Killing everything a sandbox started, also processes that left its session."""
import os
import subprocess
import time


def processes_of(uid):
    """PIDs of live (non-zombie) processes whose real uid is `uid`."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/status") as handle:
                status = dict(line.split(":", 1) for line in handle if ":" in line)
        except (OSError, ValueError):
            continue
        if int(status["Uid"].split()[0]) == uid and not status["State"].strip().startswith("Z"):
            found.append(int(entry))
    return found


def kill_uid(uid, patience_s=5.0):
    """SIGKILL every process of the sandbox's uid, again until none is left.

    Processes that left the session (setsid) escape killpg, and a fork racing the kill can
    add one after `kill -1` passed; a namespace's teardown is asynchronous too.
    """
    end = time.monotonic() + patience_s
    while processes_of(uid) and time.monotonic() < end:
        subprocess.run(["kill", "-9", "-1"], user=uid, group=uid, extra_groups=[],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.01)
