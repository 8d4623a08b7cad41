"""Shared fixtures: the course root and the reference solution of ML06."""
import contextlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

COURSE_ROOT = Path(__file__).resolve().parents[1]
# tests/fixtures/ holds course material (a second assignment's graders are pytest files too):
# it is copied into temporary courses by the tests, never collected as tests itself.
collect_ignore = ["fixtures"]


def import_file(path, name):
    """Import a file that is not part of an installed package."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def course_root():
    """The repository root, which is also the nbgrader course root."""
    return COURSE_ROOT


@pytest.fixture(scope="session")
def reference(course_root):
    """reference/ML06/mlp.py imported as a module (it is not an installed package)."""
    return import_file(course_root / "reference" / "ML06" / "mlp.py", "ml06_reference")


@pytest.fixture(scope="session")
def datasets(course_root):
    """{"data_1": (X (N, 2), y (N,)), "data_xor": ...} read from the committed data/ CSVs."""
    tables = {name: np.loadtxt(course_root / "data" / f"{name}.csv", delimiter=",", skiprows=1)
              for name in ("data_1", "data_xor")}
    return {name: (table[:, :2], table[:, 2].astype(int)) for name, table in tables.items()}


@pytest.fixture(params=["bubblewrap", "fallback"])
def sandbox_mode(request, monkeypatch):
    """The sandbox level a test runs under, once with bubblewrap and once with the fallback."""
    # Where bubblewrap is not installed both runs use the fallback, and the reported level
    # says so: the value returned is the level the sandbox must report.
    if request.param == "fallback" or shutil.which("bwrap") is None:
        monkeypatch.setenv("GRADEKIT_SANDBOX", "fallback")
        return "fallback"
    monkeypatch.setenv("GRADEKIT_SANDBOX", "auto")
    return "bubblewrap"


@pytest.fixture
def course_copy(tmp_path, course_root):
    """A private copy of the course (tmp_path/course), so run-time files stay out of the repo."""
    from gradekit.course.layout import Course
    return Course(course_root).copy_to(tmp_path / "course").root


@pytest.fixture
def configure(monkeypatch):
    """configure(course, text): write the course's gradekit.toml; no GRADEKIT_* overrides."""
    monkeypatch.delenv("GRADEKIT_BROKER", raising=False)
    monkeypatch.delenv("GRADEKIT_DATABASE", raising=False)
    return lambda course, text: (course.root / "gradekit.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def warm_server():
    """serving(course_root, assignment): a context manager running a warm server there."""
    return serving


@contextlib.contextmanager
def serving(course_root, assignment, patience_s=180):
    """`gradekit serve ASSIGNMENT --workers 1` in course_root, ready to answer; stopped after."""
    from gradekit.dispatch.warm_client import is_running
    server = subprocess.Popen([sys.executable, "-m", "gradekit.cli", "serve", assignment,
                               "--workers", "1"], cwd=course_root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + patience_s
        while not is_running(course_root, assignment):
            assert server.poll() is None, "gradekit serve exited"
            assert time.monotonic() < deadline, "gradekit serve did not get ready"
            time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


def free_port():
    """A TCP port free on the loopback interface at this moment."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_web(course_root, workers=1, env=None, patience_s=60):
    """`gradekit web --workers N` in course_root on a free loopback port; yields its base URL
    once it answers (its workers may still be warming up: attempts wait queued meanwhile)."""
    import os
    import tempfile
    import urllib.request
    port = free_port()
    errors = tempfile.TemporaryFile()   # not a pipe: nobody reads it while the service runs
    server = subprocess.Popen(
        [sys.executable, "-m", "gradekit.cli", "web", "--port", str(port), "--workers",
         str(workers)], cwd=course_root, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + patience_s
        while True:
            if server.poll() is not None:
                errors.seek(0)
                raise AssertionError(f"gradekit web exited: {errors.read()[-2000:]}")
            assert time.monotonic() < deadline, "gradekit web did not answer"
            try:
                urllib.request.urlopen(url + "/signin", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        server.url = url
        server.stderr_tail = lambda: _tail(errors)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        errors.close()


def _tail(errors, size=4000):
    """The end of what a service wrote to its stderr so far (for a failing test's message)."""
    errors.seek(0, 2)
    errors.seek(max(0, errors.tell() - size))
    return errors.read().decode(errors="replace")


def add_user(course_root, user_id, role="student"):
    """`gradekit users add` in course_root; returns the printed token (its last line)."""
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "users", "add", user_id,
                           "--role", role], cwd=course_root, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def redis_server():
    """A real redis-server on a free loopback port (tests/servers.py), stopped after."""
    from tests.servers import RedisServer
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL cluster for the session; .database() gives each test its own."""
    from tests.servers import PostgresServer
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


def run_nbgrader(course, *args):
    """Stock `nbgrader ARGS` in `course` (must succeed); returns the CompletedProcess."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def site_folders():
    """This environment's site-packages folders (numpy, gradekit's dependencies...)."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]


@pytest.fixture
def layered_env():
    """make(packages): a virtualenv layered on this one, with packages {name: __init__ source}."""
    # layered by a .pth file, so it needs no downloads; under /tmp, removed after the test
    made = []

    def make(packages):
        # inside mkdtemp's 0700 folder: the fallback's throwaway uid must still see it
        folder = Path(tempfile.mkdtemp(prefix="gradekit-env-", dir="/tmp")) / "venv"
        made.append(folder.parent)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
        python = folder / "bin" / "python"
        site = Path(subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True).strip())
        (site / "zz_layered.pth").write_text(
            "".join(f"import site; site.addsitedir({p!r})\n" for p in site_folders()))
        for name, source in packages.items():
            (site / name).mkdir()
            (site / name / "__init__.py").write_text(source)
        return python

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)
