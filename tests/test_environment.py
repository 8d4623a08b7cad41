"""The sandbox runs in the grading process's own Python environment, wherever that lives;
a sandbox that cannot start says why in one line; `gradekit doctor` tells both apart."""
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "reference" / "ML06" / "mlp.py"

IMPORT_IN_SANDBOX = """
import json, sys
from gradekit.sandbox import Sandbox
from gradekit.sandbox.starters import ZygoteStart
units = [("cell 1", sys.argv[1])]
seen = {}
with Sandbox(units) as box:
    seen["cold"] = [box.value("VALUE"), box.level]
zygote = ZygoteStart()
try:
    with Sandbox(units, starter=zygote) as box:
        seen["warm"] = [box.value("VALUE"), box.level]
finally:
    zygote.close()
print(json.dumps(seen))
"""


def site_folders():
    """This environment's site-packages folders (numpy, gradekit's dependencies...)."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]


@pytest.fixture
def layered_env():
    """make(packages): a fresh virtualenv under /tmp with packages {name: __init__ source} of
    its own, layered on this environment by a .pth file (so it needs no downloads)."""
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


def in_env(python, *args, cwd=REPO, timeout=300):
    """Run `python args` with gradekit importable (the repo on PYTHONPATH, trusted side only)
    and the sandbox level under test (GRADEKIT_SANDBOX, set by the sandbox_mode fixture)."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
           "GRADEKIT_SANDBOX": os.environ.get("GRADEKIT_SANDBOX", "auto")}
    return subprocess.run([str(python), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_sandbox_imports_what_only_the_environment_has(layered_env, sandbox_mode):
    """A package only the virtualenv holds is importable in cold and warm sandboxes, also
    with the environment under /tmp (the sandbox's private /tmp lies over it) in a folder
    that only root may enter (the fallback's throwaway uid could not)."""
    marker = f"gradekit_marker_{secrets.token_hex(4)}"
    python = layered_env({marker: "VALUE = 42\n"})
    assert str(python).startswith("/tmp/")
    code = f"import {marker}\nVALUE = {marker}.VALUE"
    done = in_env(python, "-c", IMPORT_IN_SANDBOX, code)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    for start in ("cold", "warm"):
        value, level = seen[start]
        assert value == 42, (start, level)
        assert level.startswith(sandbox_mode)


def test_missing_library_in_the_sandbox_is_one_line_and_exit_3(layered_env, course_copy,
                                                                sandbox_mode):
    """grade and doctor name the library the sandbox cannot import, and the fix."""
    broken = "raise ModuleNotFoundError(\"No module named 'sklearn' (removed)\", name='sklearn')\n"
    python = layered_env({"sklearn": broken})
    graded = in_env(python, "-m", "gradekit.cli", "grade", "ML06", REFERENCE, cwd=course_copy)
    assert graded.returncode == 3, graded.stderr
    assert graded.stderr.startswith("gradekit: the sandbox cannot import sklearn")
    assert len(graded.stderr.strip().splitlines()) == 1 and "Traceback" not in graded.stderr
    # an upload is archived and logged, but our failure uses up none of the student's uploads
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_uploads = 1\nmin_interval_s = 60\n")
    for _ in range(2):
        uploaded = in_env(python, "-m", "gradekit.cli", "upload", "ML06", REFERENCE,
                          "--student", "alice", cwd=course_copy)
        assert uploaded.returncode == 3, uploaded.stderr
        assert uploaded.stderr.startswith("gradekit: the sandbox cannot import sklearn")
    log = (course_copy / "uploads" / "alice" / "ML06" / "attempts.jsonl").read_text()
    assert [json.loads(line)["event"] for line in log.splitlines()] == [
        "received", "error", "received", "error"]
    doctor = in_env(python, "-m", "gradekit.cli", "doctor", cwd=course_copy)
    assert doctor.returncode == 1, doctor.stdout
    assert "FAIL  sandbox import sklearn.neural_network: the sandbox cannot import it " \
        "(ModuleNotFoundError" in doctor.stdout
    assert "-m pip install" in doctor.stdout
    assert doctor.stdout.strip().endswith("fix the FAIL lines above")


def test_doctor_on_a_healthy_install(course_copy, sandbox_mode):
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "doctor"], cwd=course_copy,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout
    assert "FAIL" not in done.stdout
    assert "ok    sandbox import sklearn.neural_network: importable inside the sandbox" in done.stdout
    assert f"every grading will report '{sandbox_mode}" in done.stdout
    assert done.stdout.strip().endswith("grading will work here")


def test_doctor_outside_a_course(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "doctor"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "FAIL  course: no graders/<assignment>/pytest.ini" in done.stdout

