"""Shared fixtures: the course root and the reference solution of ML06."""
import contextlib
import importlib.util
import subprocess
import sys
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
    """Run a sandbox test with bubblewrap and again with the forced fallback.

    Where bubblewrap is not installed both runs use the fallback, and the reported level
    says so: the value returned is the level the sandbox must report.
    """
    import shutil
    if request.param == "fallback" or shutil.which("bwrap") is None:
        monkeypatch.setenv("GRADEKIT_SANDBOX", "fallback")
        return "fallback"
    monkeypatch.setenv("GRADEKIT_SANDBOX", "auto")
    return "bubblewrap"


@pytest.fixture
def course_copy(tmp_path, course_root):
    """A private copy of the course (tmp_path/course), so run-time files stay out of the repo."""
    from gradekit.course import Course
    return Course(course_root).copy_to(tmp_path / "course").root


@pytest.fixture
def warm_server():
    """serving(course_root, assignment): a context manager running a warm server there."""
    return serving


@contextlib.contextmanager
def serving(course_root, assignment, patience_s=180):
    """`gradekit serve ASSIGNMENT --workers 1` in course_root, ready to answer; stopped after."""
    from gradekit.dispatch.warm import is_running
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


@pytest.fixture
def redis_server():
    """A real redis-server on a free loopback port (tests/services.py), stopped after."""
    from services import RedisServer
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL cluster for the session; .database() gives each test its own."""
    from services import PostgresServer
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.close()
