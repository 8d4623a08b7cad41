"""The sandbox runs in the grading process's own Python environment, wherever that lives;
a sandbox that cannot start says why in one line; `gradekit doctor` tells both apart."""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
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


@pytest.mark.smoke
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



@pytest.mark.smoke
def test_doctor_refuses_a_python_the_kit_does_not_support(monkeypatch, capsys):
    """doctor, pyproject's requires-python and the README name the same oldest Python."""
    from gradekit.diagnostics import machine as doctor
    from gradekit.diagnostics.findings import Findings
    supported = doctor.supported_pythons()
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert str(supported) == ">=3.11" and "Python 3.11 to 3.13" in readme
    assert doctor.NEWEST_TESTED == (3, 13)
    monkeypatch.setattr(doctor.platform, "python_version", lambda: "3.10.13")
    found = Findings()
    doctor.check_python(found)
    assert found.broken
    assert "gradekit needs Python >=3.11" in capsys.readouterr().out
