"""Warm mode: forked sandboxes grade exactly like cold ones, and forget every submission."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gradekit.course.layout import Course
from gradekit.grading.library import read_example
from gradekit.grading.run import grade_path
from gradekit.sandbox import Sandbox
from gradekit.sandbox.starters import ZygoteStart
from gradekit.dispatch import grader_for
from gradekit.dispatch.jobs import GradeJob
from gradekit.dispatch.warm_client import grade_remote, is_running

REPO = Path(__file__).resolve().parents[2]
COURSE = Course(REPO)
MUTANT = read_example(REPO / "graders" / "ML06" / "mutants" / "grad_delta3_sign.py",
                      "mutants")
SAMPLES = [REPO / "reference" / "ML06" / "mlp.py", MUTANT.path,
           REPO / "release" / "ML06" / "ML06.ipynb"]


def on_disk(path, folder):
    """The file to grade: the library mutant composed (base plus override), same name."""
    return MUTANT.write_to(folder) if path == MUTANT.path else path


@pytest.fixture
def zygote(sandbox_mode):
    """A warm sandbox image at the level under test, stopped afterwards."""
    starter = ZygoteStart()
    yield starter
    starter.close()


def comparable(result):
    report = result.to_json()
    del report["duration_s"]
    return report


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_warm_and_cold_reports_are_identical(path, zygote, tmp_path):
    path = on_disk(path, tmp_path)
    cold = grade_path(COURSE, "ML06", path)
    warm = grade_path(COURSE, "ML06", path, starter=zygote)
    assert comparable(warm) == comparable(cold)


def test_nothing_carries_over_between_forks(zygote):
    leave_behind = """
import os, subprocess, time
open('secret.txt', 'w').write('from the first submission')
try:   # the fallback level does not let it write outside its scratch folder at all
    os.makedirs('/tmp/shared', exist_ok=True)
    open('/tmp/shared/note', 'w').write('x')
except OSError:
    pass
if os.fork() == 0:
    os.setsid()
    while True:
        time.sleep(0.05)
        open('still_here.txt', 'w').write('y')
def ok(): return 1
"""
    look = """
import os
def seen():
    try:
        shared = sorted(os.listdir('/tmp'))
    except OSError:   # fallback level: no view of /tmp at all
        shared = []
    return sorted(os.listdir('.')) + shared + [str(os.path.exists('/tmp/shared/note'))]
"""
    with Sandbox([("cell 1", leave_behind)], starter=zygote) as first:
        assert first.call("ok") == 1
        uid = first.process.uid
    time.sleep(0.3)   # a survivor would have written still_here.txt by now
    with Sandbox([("cell 1", look)], starter=zygote) as second:
        seen = second.call("seen")
        assert not any(name in seen for name in ("secret.txt", "still_here.txt", "shared"))
        assert seen[-1] == "False"
        if uid is not None:
            from gradekit.sandbox.reaper import processes_of
            assert processes_of(uid) == []


@pytest.mark.slow
def test_server_grades_uploads_warm(course_copy, tmp_path, warm_server):
    with warm_server(course_copy, "ML06"):
        sample = on_disk(SAMPLES[1], tmp_path / "samples")
        assert grader_for(Course(course_copy), "ML06").transport == "warm"
        warm = grade_remote(Course(course_copy), GradeJob("ML06", sample.name, sample.read_bytes()))
        assert warm is not None
        cold = grade_path(Course(course_copy), "ML06", sample)
        assert comparable(warm) == comparable(cold)
        assert warm.artifacts.keys() == cold.artifacts.keys()
        upload = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", "ML06",
                                 str(sample), "--student", "warm", "--json"], cwd=course_copy,
                                capture_output=True, text=True, timeout=300)
        assert upload.returncode == 0, upload.stderr
        report = json.loads(upload.stdout)
        assert report["score"] == cold.score and report["upload"]["attempt"] == 1
        assert (course_copy / report["upload"]["archive"]).read_bytes() == sample.read_bytes()
    assert not is_running(course_copy, "ML06")
