"""A submission that spends the whole time budget while loading is graded, never a crash:
by `gradekit grade`, `gradekit upload`, the warm server and stock `nbgrader autograde`.

The course copy gets short limits (load 4 s, budget 8 s) so each grading takes seconds; the
submission is the reference solution behind three cells that each busy-wait 3 s, so a
grading that ignored the budget would score points it did not earn in time.
"""
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from gradekit.course.layout import Course
from tests.helpers import gradekit

REPO = Path(__file__).resolve().parents[2]
BUDGET_S = 8
BURN = "import time\nend = time.monotonic() + 3\nwhile time.monotonic() < end:\n    pass\n"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course copy whose ML06 allows 4 s of loading and 8 s in all; no upload limits."""
    root = Course(REPO).copy_to(tmp_path_factory.mktemp("budget") / "course").root
    settings = root / "graders" / "ML06" / "grading.toml"
    settings.write_text(settings.read_text().replace("load_s = 60", "load_s = 4")
                        .replace("budget_s = 120", f"budget_s = {BUDGET_S}"))
    (root / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")
    return root


@pytest.fixture(scope="module")
def burner(course):
    """The reference solution after three 3-second busy loops, as a script."""
    path = course / "burner.py"
    reference = (REPO / "reference" / "ML06" / "mlp.py").read_text()
    path.write_text("\n".join([BURN] * 3) + "\n" + reference)
    return path


def assert_graded_zero_for_the_budget(report):
    assert report["status"] == "graded" and report["score"] == 0.0, report
    assert any(f"time budget of {BUDGET_S} s ran out" in unit["error"]
               for unit in report["load"]), report["load"]
    assert report["duration_s"] < BUDGET_S + 30
    assert all(t["status"] == "timeout" for t in report["tests"])


def test_grade(course, burner):
    started = time.monotonic()
    done = gradekit(course, "grade", "ML06", burner, "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert_graded_zero_for_the_budget(json.loads(done.stdout))
    assert time.monotonic() - started < BUDGET_S + 40


def uploaded(course, student, report):
    """The attempt was archived, logged as graded, and its report and page were written."""
    assert_graded_zero_for_the_budget(report)
    archive = course / report["upload"]["archive"]
    stem = archive.with_suffix("")
    assert archive.exists()
    assert stem.with_name(stem.name + ".report.json").exists()
    assert stem.with_name(stem.name + ".html").exists()
    log = course / "uploads" / student / "ML06" / "attempts.jsonl"
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    assert events == ["received", "graded"]


def test_upload(course, burner):
    done = gradekit(course, "upload", "ML06", burner, "--student", "slowcold", "--json")
    assert done.returncode == 0, done.stderr
    uploaded(course, "slowcold", json.loads(done.stdout))


def test_upload_through_the_warm_server(course, burner, warm_server):
    with warm_server(course, "ML06"):
        done = gradekit(course, "upload", "ML06", burner, "--student", "slowwarm", "--json")
    assert done.returncode == 0, done.stderr
    uploaded(course, "slowwarm", json.loads(done.stdout))


def test_stock_nbgrader_autograde(course):
    release = nbformat.read(course / "release" / "ML06" / "ML06.ipynb", as_version=4)
    reference = (REPO / "reference" / "ML06" / "mlp.py").read_text()
    release.cells[:0] = [nbformat.v4.new_code_cell(BURN) for _ in range(3)]
    release.cells.insert(3, nbformat.v4.new_code_cell(reference))
    target = course / "submitted" / "slownb" / "ML06" / "ML06.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(release, target)
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "ML06",
                           "--student", "slownb"], cwd=course, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    from gradekit.attempts.gradebook import scores
    score, most = scores(Course(course), "ML06")["slownb"]
    assert score == 0.0 and most > 0
    graded = nbformat.read(course / "autograded" / "slownb" / "ML06" / "ML06.ipynb", 4)
    shown = json.dumps([c.get("outputs", []) for c in graded.cells])
    assert f"time budget of {BUDGET_S} s ran out" in shown
