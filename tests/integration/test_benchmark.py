"""benchmarks/grading_speed.py: it runs end to end and prints every row.

Timings are never asserted: the benchmark reports them, the suite only checks that it works.
"""
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
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
    "(e) as (d), checks in turn: autograde --jobs 2, batch of 4",
    "(e) as (d), checks in turn: upload, API-only notebook",
    "(f) as (d), always 2 groups: autograde --jobs 2, batch of 4",
    "(f) as (d), always 2 groups: upload, API-only notebook",
]
TARGETS = ["cold `gradekit grade` <= 1/3 of stock", "warm overhead <= 0.3 s",
           "batch of 4 with --jobs 2 >= 6x stock throughput", "peak sandbox memory <= 400 MB",
           # the later targets
           "cold `gradekit grade`, API-only notebook", "warm `gradekit upload` of the solved",
           "warm batch of 4 with --jobs 2, the engine's policy",
           "warm batch of 4 with --jobs 2, always 2 groups of checks",
           "warm batch of 4 with --jobs 2, checks in turn",
           "warm overhead outside the student's code, warm batch"]


@pytest.fixture(scope="module")
def courses():
    """benchmarks/courses.py (benchmarks/ is a folder of scripts, not a package)."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        return importlib.import_module("courses")
    finally:
        sys.path.remove(str(SCRIPT.parent))


def test_stock_config_restores_nbgraders_defaults(courses, tmp_path):
    version, lists = courses.nbgrader_defaults()
    courses.write_stock_config(tmp_path, version, lists)
    text = (tmp_path / "nbgrader_config.py").read_text()
    assert "'nbgrader.preprocessors.execute.Execute'" in text
    assert "'nbgrader.preprocessors.overwritecells.OverwriteCells'" in text
    assert "gradekit" not in text.split('"""')[2]   # the course's preprocessors are not used
    compile(text, "nbgrader_config.py", "exec")


def test_submissions_define_the_api_before_the_test_cells(courses, tmp_path):
    course = courses.copy_course(tmp_path / "course")
    found = courses.build_submissions(course, quick=True)
    assert len(found) == 4 and "s02-stub" in found
    script = next(s for s in found if "-variant-" in s)
    cells = found[script].cells
    grade_ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
    first = cells[grade_ids.index("answer_task1")].source
    assert "def gradients(" in first and "def train(" in first
    assert grade_ids.index("answer_task1") < grade_ids.index("test_answers")
    for name in courses.API_CELLS[1:]:
        assert "NotImplementedError" not in cells[grade_ids.index(name)].source
    nbformat.validate(found[script])
    assert not (course / "submitted").exists()   # building writes nothing


MODES = ["stock_one:API", "cold_one:API", "stock_batch", "cold_batch", "serve_start", "warm_batch",
         "upload_cold:api", "upload_warm:api", "upload_cold:stub", "upload_warm:stub",
         "upload_warm:solved", "warm_batch_in_turn", "upload_warm_in_turn:solved",
         "warm_batch_always", "upload_warm_always:solved"]
UPLOAD_STAGES = {"archive", "load", "grade", "gradebook", "reports", "recorded", "feedback",
                 "total", "grading"}


def check_figures(figures):
    """Every mode produced figures, and the engine's own timing came with them."""
    api = figures["single"][-1]
    assert "-variant-" in api and figures["batch"]["size"] == 4
    modes = figures["modes"]
    for key in MODES:
        runs = modes.get(key.replace("API", api), {}).get("runs")
        assert runs, key
        assert all(r["code"] == 0 and r["seconds"] > 0 for r in runs), (key, runs)
    for key in ("cold_batch", "warm_batch", "warm_batch_in_turn", "warm_batch_always"):
        reports = modes[key]["runs"][0]["reports"]
        assert len(reports) == 4, (key, reports)
        for report in reports:
            assert report["timing"]["feedback"] >= 0 and report["timing"]["gradebook"] >= 0
            assert report["timing"]["grading"]["tests"], report
            assert report["timing"]["grading"]["groups"] >= 1, report
            if "turn" in key:
                assert report["timing"]["grading"]["groups"] == 1, report
    for key in ("upload_cold:api", "upload_warm:api", "upload_cold:stub", "upload_warm:stub"):
        for run in modes[key]["runs"]:
            assert set(run["timing"]) == UPLOAD_STAGES, (key, run)
            assert 0 < run["timing"]["total"] < run["seconds"], (key, run)
    probe = figures["probe"][api]
    assert probe["sandbox_mb"] > 0 and probe["timing"]["tests"] and probe["trusted_mb"] > 0
    assert figures["warm"]["reason"] is None and figures["warm"]["server_processes"]
    assert not figures["failures"]


@pytest.mark.slow
def test_quick_benchmark_prints_every_row(tmp_path):
    before = {p: (REPO / p).exists() for p in ("submitted", "uploads", ".gradekit")}
    out, raw = tmp_path / "speed.md", tmp_path / "speed.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(out),
                           "--json", str(raw)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = done.stdout
    labels = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| (")]
    for row in QUICK_ROWS:
        assert any(label.startswith(row) for label in labels), (row, labels)
    for line in text.splitlines():
        if line.startswith("| ("):
            cells = [c.strip() for c in line.split("|")[2:-1]]
            assert cells[0] != "0" and re.fullmatch(r"\d+\.\d\d", cells[1]), line
    for target in TARGETS:
        assert re.search(r"^- (PASS|MISS): " + re.escape(target), text, re.M), target
    for piece in ("load average (1 min)", "cores,", "Python 3.", "peak sandbox memory ",
                  "trusted grading process ", "Where the time goes (same run):",
                  "- cold grading of the API-only notebook", "- batch of 4: the gradings sum to",
                  "- warm upload of the stub, ", "Time breakdown of one cold grading",
                  "timing['sandbox_start']", "test_gradients::", "Where the batch's time goes",
                  "Where an upload's time goes", "Targets:",
                  "Policy for parallel checks", "- warm batch of 4, s / notebook: policy"):
        assert piece in text, piece
    assert "FAILED" not in text
    assert out.read_text().strip() == text.strip()
    check_figures(json.loads(raw.read_text()))
    rendered = subprocess.run([sys.executable, str(SCRIPT.parent / "report.py"), str(raw)],
                              capture_output=True, text=True, timeout=60)
    assert rendered.stdout.strip() == text.strip()   # the report is a function of the JSON
    assert {p: (REPO / p).exists() for p in before} == before   # nothing written into the repo
