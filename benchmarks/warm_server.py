"""`gradekit serve` in the background for the warm modes: started, timed until ready, stopped."""
import os
import signal
import subprocess
import time
from pathlib import Path

from probes import GRADEKIT, child_env, descendants, memory


class WarmServer:
    """One `gradekit serve ASSIGNMENT --workers N` in a course copy, and every process it starts."""

    def __init__(self, root, assignment, workers=2, log=None):
        self.root, self.assignment, self.workers = Path(root), assignment, workers
        self.log = Path(log or self.root / "server.log")
        self.process, self.pids, self.left_alive = None, {}, 0

    def start(self, timeout):
        """(seconds until it answers, None), or (None, why warm mode is not available)."""
        try:
            from gradekit.commands.serve import is_running
        except Exception as exc:   # broken while being rewritten: the cold modes still run
            return None, f"gradekit.commands.serve: {type(exc).__name__}: {exc}"
        start = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                GRADEKIT + ["serve", self.assignment, "--workers", str(self.workers)],
                cwd=self.root, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        problem = f"not ready within {timeout:.0f} s"
        while time.perf_counter() - start < timeout:
            self.pids.update(descendants(self.process.pid))
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace").strip().splitlines()[-3:]
                problem = f"server exited with code {self.process.returncode}: {' | '.join(tail)}"
                break
            if is_running(self.root, self.assignment):
                ready = time.perf_counter() - start
                self.pids.update(descendants(self.process.pid))
                return ready, None
            time.sleep(0.5)
        self.stop()
        return None, problem

    def memory(self):
        """[name, VmRSS MB, VmHWM MB] of each live process of the server."""
        if self.process is None:
            return []
        return [list(m) for m in map(memory, descendants(self.process.pid)) if m]

    def stop(self):
        """Ctrl-C to the server's process group, then harder; then any of its processes left
        (e.g. zygotes in sessions of their own), checked by start time against pid reuse."""
        if self.process is None:
            return
        self.pids.update(descendants(self.process.pid))
        for sig, patience in ((signal.SIGINT, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)   # the group of the server we started
            except ProcessLookupError:
                break
            try:
                self.process.wait(patience)
            except subprocess.TimeoutExpired:
                pass
        time.sleep(1.0)
        for pid, started in self.pids.items():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[19] == started and fields[0] != "Z":   # the same process, still alive
                self.left_alive += 1
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.process = None
