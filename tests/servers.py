"""Real Redis and PostgreSQL servers for the tests: free loopback ports, temporary folders.

Debian's packages `redis-server` and `postgresql` (.ci/run installs them).  PostgreSQL
refuses to run as root, so as root its server runs as the `postgres` system user, in a
folder that user owns.  Where a server is not installed the tests that need it are
skipped, except in CI (CI=true), where they fail: there they must always run.
"""
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


def wait_for(ready, what, patience_s=30.0):
    deadline = time.monotonic() + patience_s
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not get ready in {patience_s:g} s")
        time.sleep(0.05)


class RedisServer:
    """redis-server with an append-only file synced at every write (the durability the
    README asks of a production broker), so a restart keeps the queued jobs."""

    def __init__(self):
        self.binary = shutil.which("redis-server") or missing("redis-server")
        self.folder = Path(tempfile.mkdtemp(prefix="gradekit-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
             "--logfile", str(self.folder / "redis.log")], stdout=subprocess.DEVNULL)
        wait_for(self.answers, "redis-server")

    def answers(self):
        import redis
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            assert self.process.poll() is None, (self.folder / "redis.log").read_text()[-2000:]
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)   # saves the append-only file and exits
            self.process.wait(timeout=30)

    def restart(self):
        self.stop()
        self.start()

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def pg_binary(name):
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        missing("PostgreSQL (initdb)")
    return found if isinstance(found, str) else found[-1]


class PostgresServer:
    """A throwaway cluster (trust authentication on 127.0.0.1) and a fresh database per test."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="gradekit-pg-"))
        self.port = free_port()
        self.as_postgres = []
        if os.getuid() == 0:   # postgres will not run as root: its own user, its own folder
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.data = self.folder / "data"
        self.created = 0

    def run(self, *argv):
        done = subprocess.run([*self.as_postgres, *map(str, argv)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, f"{argv[0]}: {done.stdout[-1000:]} {done.stderr[-2000:]}"

    def start(self):
        self.run(pg_binary("initdb"), "-D", self.data, "-U", "gradekit", "--auth=trust",
                 "-E", "UTF8", "--no-sync")
        self.run(pg_binary("pg_ctl"), "-D", self.data, "-l", self.folder / "server.log", "-w",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                       f"-c fsync=off -c max_connections=200", "start")

    def database(self):
        """The URL of a new, empty database."""
        import psycopg
        self.created += 1
        name = f"course{self.created}"
        with psycopg.connect(f"postgresql://gradekit@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://gradekit@127.0.0.1:{self.port}/{name}"

    def close(self):
        if (self.data / "postmaster.pid").exists():
            self.run(pg_binary("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
