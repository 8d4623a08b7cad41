"""Start measured commands one at a time for the benchmark; report wall time, exit code, ru_maxrss.

Run as `python -I -S spawner.py` (standard library only) before the benchmark imports anything
big: a fork's pre-exec image counts in the child's ru_maxrss, so forking from the benchmark
itself would put the benchmark's own size into every figure.  Protocol: one JSON job per line
on stdin ({"argv", "cwd", "env", "timeout", "stdout", "stderr"}), one JSON answer per line on
stdout ({"seconds", "code", "maxrss_kb"}).
"""
import json
import os
import sys
import threading
import time


def stop(pid):
    """SIGKILL the job's process group (it runs in its own session) when it overruns."""
    try:
        os.killpg(pid, 9)
    except ProcessLookupError:
        pass


def run(job):
    out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.chdir(job["cwd"])
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execvpe(job["argv"][0], job["argv"], job["env"])
        except BaseException as exc:
            os.write(2, f"cannot start {job['argv'][0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    for fd in (out, err, null):
        os.close(fd)
    timer = threading.Timer(job["timeout"], stop, (pid,))
    timer.start()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    return {"seconds": seconds, "code": os.waitstatus_to_exitcode(status),
            "maxrss_kb": usage.ru_maxrss}


if __name__ == "__main__":
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)
