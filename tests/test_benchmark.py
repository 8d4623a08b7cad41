"""benchmarks/grading_speed.py (issue 5): it runs end to end and prints every row.

Timings are never asserted: the benchmark reports them, the suite only checks that it works.
"""
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "grading_speed.py"

QUICK_ROWS = [
    "(a)(i) stock nbgrader, 1 notebook: API-only notebook",
    "(b) gradekit grade (cold), 1 notebook: API-only notebook",
    "(a)(ii) stock nbgrader, batch of 4",
    "(c) gradekit autograde --jobs 2, batch of 4",
    "(d) gradekit serve --workers 2: start until ready",
    "(d) gradekit autograde --jobs 2, batch of 4, warm",
    "(d) gradekit upload, cold: API-only notebook",
    "(d) gradekit upload, warm: API-only notebook",
    "(d) gradekit upload, cold: release stub",
    "(d) gradekit upload, warm: release stub",
]
TARGETS = ["cold `gradekit grade` <= 1/3 of stock", "warm overhead <= 0.3 s",
           "batch of 4 with --jobs 2 >= 6x stock throughput", "peak sandbox memory <= 400 MB"]


@pytest.fixture(scope="module")
def bench():
    """The benchmark script imported as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("grading_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stock_config_restores_nbgraders_defaults(bench, tmp_path):
    version, lists = bench.nbgrader_defaults()
    bench.write_stock_config(tmp_path, version, lists)
    text = (tmp_path / "nbgrader_config.py").read_text()
    assert "'nbgrader.preprocessors.execute.Execute'" in text
    assert "'nbgrader.preprocessors.overwritecells.OverwriteCells'" in text
    assert "gradekit" not in text.split('"""')[2]   # the course's preprocessors are not used
    compile(text, "nbgrader_config.py", "exec")


def test_submissions_define_the_api_before_the_test_cells(bench, tmp_path):
    course = bench.copy_course(tmp_path / "course")
    found = bench.build_submissions(course, quick=True)
    assert len(found) == 4 and "s02-stub" in found
    script = next(s for s in found if "-variant-" in s)
    cells = found[script].cells
    grade_ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
    first = cells[grade_ids.index("answer_task1")].source
    assert "def gradients(" in first and "def train(" in first
    assert grade_ids.index("answer_task1") < grade_ids.index("test_answers")
    for name in bench.API_CELLS[1:]:
        assert "NotImplementedError" not in cells[grade_ids.index(name)].source
    nbformat.validate(found[script])
    assert not (course / "submitted").exists()   # building writes nothing


@pytest.mark.slow
def test_quick_benchmark_prints_every_row(tmp_path):
    before = {p: (REPO / p).exists() for p in ("submitted", "uploads", ".gradekit")}
    out = tmp_path / "speed.md"
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(out)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = done.stdout
    labels = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| (")]
    for row in QUICK_ROWS:
        assert any(label.startswith(row) for label in labels), (row, labels)
    for line in text.splitlines():
        if line.startswith("| (") and "warm mode: not available" not in line:
            cells = [c.strip() for c in line.split("|")[2:-1]]
            assert cells[0] != "0" and re.fullmatch(r"\d+\.\d\d", cells[1]), line
    for target in TARGETS:
        assert re.search(r"^- (PASS|MISS|n/a): " + re.escape(target), text, re.M), target
    for piece in ("load average (1 min)", "cores,", "Python 3.", "peak sandbox memory ",
                  "trusted grading process ", "Time breakdown of one cold grading",
                  "timing['sandbox_start']", "test_gradients::", "Where the batch's time goes",
                  "Where an upload's time goes"):
        assert piece in text, piece
    assert "FAILED" not in text
    assert out.read_text().strip() == text.strip()
    assert {p: (REPO / p).exists() for p in before} == before   # nothing written into the repo
