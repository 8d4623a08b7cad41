"""A second assignment, LR01 (linear regression by gradient descent), proves the plug-in boundary.

LR01 lives in tests/fixtures/LR01/ (source/, reference/, graders/), never in the course.  The
slow tests merge it into a temporary copy of the course, release it once per run (shared by
pytest-xdist workers), and drive the commands as users do: release, grade, upload, serve,
nbgrader autograde and audit.  Tests that write (uploads, a server, nbgrader) work in private
copies of that released course, so they never see each other's files or servers.

The fast tests check the fixture itself (graders use only the engine's generic helpers, the
notebook agrees with the reference, the feedback and probe hooks work on their own) and that
the engine names nothing of ML06.
"""
import ast
import fcntl
import html
import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest

from gradekit.course.layout import Course
from tests.conftest import run_nbgrader as nbgrader
from tests.helpers import gradekit

import tomllib

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "LR01"
GRADERS = FIXTURE / "graders" / "LR01"
REFERENCE = FIXTURE / "reference" / "LR01" / "linreg.py"
SOURCE = FIXTURE / "source" / "LR01"
CELLS = {"test_predict": 0.5, "test_mse": 1.0, "test_gradient": 1.5, "test_fit": 1.5,
         "test_answer": 0.5}
API = ["ANSWER_DIVERGES", "predict", "mse", "gradient", "fit"]
# What the graders may import from the engine (gradekit.grading.checks) ...
GENERIC_HELPERS = {"scalar", "as_array", "pair", "close", "central_difference", "relative_error",
                   "describe"}
# ... and the fixtures they may ask for: the engine's three, then LR01's own conftest's.
ENGINE_FIXTURES = {"student", "artifacts", "credit"}
LR01_FIXTURES = {"ref", "data", "rng", "problem"}
# Words of ML06 that a generic engine must not contain (case-insensitive unless noted).  An
# underscore counts as a separator (data_xor, make_mlp_221), letters and digits do not, except
# that mlp and sigmoid may start a longer identifier (MLPClassifier, sigmoid_derivative).
# sklearn, sklearn.neural_network and "logistic" are generic and are not listed.
ML06_NAMES = {
    "ML06": re.compile(r"(?<![A-Za-z0-9])ml06(?![0-9])", re.IGNORECASE),
    "mlp": re.compile(r"(?<![A-Za-z0-9])mlp", re.IGNORECASE),
    "xor": re.compile(r"(?<![A-Za-z0-9])xor(?![A-Za-z0-9])", re.IGNORECASE),
    "sigmoid": re.compile(r"(?<![A-Za-z0-9])sigmoid", re.IGNORECASE),
    "data_1": re.compile(r"(?<![A-Za-z0-9])data_1(?![0-9])", re.IGNORECASE),
    "W1/w2": re.compile(r"\b(?:W1|w2)\b"),   # ML06's weight identifiers, case as written
}
# Captions and words only ML06's feedback pictures use.
ML06_CAPTION_WORDS = ("data_1", "XOR", "2-2-1", "Decision boundary", "hidden units")
PRIVATE = shutil.ignore_patterns("uploads", "submitted", "autograded", "feedback", ".gradekit",
                                 "*.lock", "__pycache__", "grades-*.csv")


# -- helpers -----------------------------------------------------------------------------------


def grade_json(course, path):
    """`gradekit grade LR01 PATH --json` (cold, in its own process) as a dict."""
    done = gradekit(course, "grade", "LR01", path, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cell_scores(report):
    """{grade cell: score} of a grade report; every LR01 grader module is named after its cell."""
    cells = {}
    for test in report["tests"]:
        cell = test["name"].split("::")[0]
        cells[cell] = round(cells.get(cell, 0.0) + test["score"], 4)
    return cells


def comparable(report):
    return {key: value for key, value in report.items() if key != "duration_s"}


def load_module(path, name):
    """Run a fixture file as a module, writing no __pycache__ beside it."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(compile(Path(path).read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


def module_from_source(source, name):
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def same(a, b):
    """Equal plain values: arrays up to float rounding, containers element by element."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
    except (TypeError, ValueError):
        return a == b
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind in "fc":
        return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    return bool(np.array_equal(a, b))


def battery_outputs(module):
    """LR01's audit battery (graders/LR01/audit_probe.py) on a loaded solution module."""
    probe = load_module(GRADERS / "audit_probe.py", "lr01_audit_probe")
    results = []
    with np.errstate(all="ignore"):
        for label, call in probe.battery():
            try:
                results.append((label, call(module)))
            except Exception as exc:   # a mutant may raise anything: that is a result too
                results.append((label, ("raised", type(exc).__name__)))
    return results


def first_difference(module, reference):
    """Label of the first battery call where module and reference differ, or None."""
    return next((label for (label, want), (_, got) in
                 zip(battery_outputs(reference), battery_outputs(module)) if not same(want, got)),
                None)


def build_course(root):
    """Copy the repository's course, merge LR01 in, release it; the release's outcome is kept."""
    Course(REPO).copy_to(root)
    for part in ("source", "reference", "graders"):
        shutil.copytree(FIXTURE / part, root / part, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    done = gradekit(root, "release", "LR01")
    (root / "release-LR01.json").write_text(json.dumps(
        {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}))
    return root


def private_course(course, target):
    """A copy of the released course (gradebook included) for one test that writes."""
    shutil.copytree(course, target, ignore=PRIVATE)
    return target


# -- the released course, once per run -------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course plus LR01, released; under pytest-xdist the first worker builds it for all.

    Tests only read it; those that write take a private_course copy.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_course(tmp_path_factory.mktemp("lr01") / "course")
    shared = tmp_path_factory.getbasetemp().parent   # this run's temp root, shared by workers
    with open(shared / "lr01_course.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = shared / "lr01_course"
        if not (root / "release-LR01.json").exists():
            shutil.rmtree(root, ignore_errors=True)   # a build that crashed half-way
            build_course(root)
        return root


@pytest.fixture(scope="module")
def uploaded(course, tmp_path_factory):
    """One `gradekit upload LR01 reference --student s --json` in a private copy."""
    root = private_course(course, tmp_path_factory.mktemp("lr01-upload") / "course")
    done = gradekit(root, "upload", "LR01", REFERENCE, "--student", "s", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    stem = str((root / report["upload"]["archive"]).with_suffix(""))
    return types.SimpleNamespace(root=root, report=report, stem=stem)


# -- fast: the fixture on its own --------------------------------------------------------------

def grader_files():
    return sorted(GRADERS.glob("*.py"))


@pytest.mark.parametrize("path", grader_files(), ids=lambda p: p.name)
def test_graders_use_only_generic_engine_helpers(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "gradekit" for a in node.names), \
                f"{path.name}:{node.lineno} imports the engine directly"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "gradekit":
            assert path.name.startswith("test_"), \
                f"{path.name}:{node.lineno}: only graders may import from the engine"
            assert node.module == "gradekit.grading.checks", \
                f"{path.name}:{node.lineno} imports {node.module}"
            assert {a.name for a in node.names} <= GENERIC_HELPERS, \
                f"{path.name}:{node.lineno} imports {[a.name for a in node.names]}"
    if path.name.startswith("test_"):
        tests = [n for n in tree.body if isinstance(n, ast.FunctionDef)
                 and n.name.startswith("test_")]
        assert tests
        for test in tests:
            asked = {a.arg for a in test.args.args}
            assert asked <= ENGINE_FIXTURES | LR01_FIXTURES, (test.name, asked)


def test_grading_settings_match_notebook_and_reference():
    settings = tomllib.loads((GRADERS / "grading.toml").read_text(encoding="utf-8"))
    assert set(settings) <= {"api", "experiment_cells", "limits", "sandbox", "audit"}
    assert set(settings.get("limits", {})) <= {"call_s", "load_s", "budget_s"}
    assert settings["api"] == API
    reference = load_module(REFERENCE, "lr01_reference_fast")
    assert all(hasattr(reference, name) for name in settings["api"])
    nb = nbformat.read(SOURCE / "LR01.ipynb", as_version=4)
    meta = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader for c in nb.cells
            if "nbgrader" in c.metadata}
    assert set(settings["experiment_cells"]) <= {g for g, m in meta.items() if m.get("solution")}
    points = {g: m["points"] for g, m in meta.items() if m.get("grade")}
    assert points == CELLS and sum(points.values()) == 5.0
    marked = set()
    for path in GRADERS.glob("test_*.py"):
        match = re.search(r'pytestmark = pytest\.mark\.cell\("(\w+)"\)', path.read_text())
        assert match and match.group(1) == path.stem, path.name   # grader module = grade cell
        marked.add(match.group(1))
    assert marked == set(CELLS)


def test_library_is_annotated():
    from gradekit.grading.library import load_library
    library = load_library(GRADERS, kinds=("mutants", "variants"))
    kinds = {}
    for example in library:
        kinds.setdefault(example.kind, []).append(example)
        assert example.description
        assert example.must_fail <= set(CELLS), example.name
        ast.parse(example.path.read_text(encoding="utf-8"))   # whole .py submissions
    assert len(kinds["mutants"]) == 2 and all(m.must_fail for m in kinds["mutants"])
    assert len(kinds["variants"]) == 1 and not kinds["variants"][0].must_fail


def test_notebook_solutions_compute_the_reference(monkeypatch):
    """The source notebook's definitions (solutions in place) agree with linreg.py."""
    monkeypatch.syspath_prepend(str(SOURCE))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)   # no __pycache__ in the fixture
    nb = nbformat.read(SOURCE / "LR01.ipynb", as_version=4)
    namespace = {}
    try:
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and not meta.get("grade") and \
                    meta.get("grade_id") not in ("task4_plot", "task5_experiment"):
                exec(compile(cell.source, f"LR01.ipynb:{cell.id}", "exec"), namespace)
    finally:
        sys.modules.pop("lr01_utils", None)   # the notebook imported it from SOURCE
    reference = load_module(REFERENCE, "lr01_reference_sync")
    assert namespace["ANSWER_DIVERGES"] is reference.ANSWER_DIVERGES
    rng = np.random.default_rng(5)
    for d in (1, 3):
        X, y, w = rng.normal(size=(20, d)), rng.normal(size=20), rng.normal(size=d + 1)
        for name, args in (("predict", (X, w)), ("mse", (y, X[:, 0])), ("gradient", (X, y, w))):
            np.testing.assert_allclose(namespace[name](*args), getattr(reference, name)(*args),
                                       rtol=1e-12, err_msg=name)
        for got, want in zip(namespace["fit"](X, y, alpha=0.05, epochs=30),
                             reference.fit(X, y, alpha=0.05, epochs=30)):
            np.testing.assert_allclose(got, want, rtol=1e-12)
    # the notebook's own data: defaults reach the least-squares line, alpha = 0.5 diverges
    X, y = namespace["X"], namespace["y"]
    w, losses = reference.fit(X, y)
    np.testing.assert_allclose(w, np.linalg.lstsq(np.c_[np.ones(len(X)), X], y, rcond=None)[0])
    assert reference.fit(X, y, alpha=0.5, epochs=30)[1][-1] > 1e6 * losses[-1]


def test_feedback_hook_draws_the_reference_run():
    """graders/LR01/feedback.py on its own: FIGURES and draw() as the engine will call them."""
    from matplotlib.figure import Figure
    feedback = load_module(GRADERS / "feedback.py", "lr01_feedback")
    reference = load_module(REFERENCE, "lr01_reference_feedback")
    utils = load_module(SOURCE / "lr01_utils.py", "lr01_utils_feedback")
    assert [(name, cell) for name, cell, _ in feedback.FIGURES] == [("fit_line", "test_fit")]
    X, y = utils.make_data()
    w, losses = reference.fit(X, y)
    artifacts = {"fit_defaults": {"X": X[:, 0], "y": y, "w": w, "losses": np.asarray(losses),
                                  "w_ref": w, "losses_ref": np.asarray(losses)}}
    figure = Figure()
    assert feedback.draw("fit_line", figure, artifacts, REPO) is None
    assert len(figure.axes) == 2
    junk = {"fit_defaults": {**artifacts["fit_defaults"], "losses": np.full(3, np.nan)}}
    assert feedback.draw("fit_line", Figure(), junk, REPO) is None   # line still drawn
    reason = feedback.draw("fit_line", Figure(), {}, REPO)
    assert isinstance(reason, str) and reason and "\n" not in reason


def test_probe_battery_tells_changed_defaults_apart():
    """audit_probe.py: plain values on the reference; changed defaults of fit differ."""
    from gradekit.audit.mutate import generate
    reference = load_module(REFERENCE, "lr01_reference_probe")
    outputs = battery_outputs(reference)
    raised = [label for label, value in outputs
              if isinstance(value, tuple) and value and isinstance(value[0], str)]
    assert len(outputs) >= 10 and not raised, raised
    assert first_difference(reference, load_module(REFERENCE, "lr01_reference_again")) is None
    source = REFERENCE.read_text(encoding="utf-8")
    def_line = next(node.lineno for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == "fit")
    defaults = [m for m in generate(source) if m.function == "fit" and m.line == def_line]
    assert len(defaults) == 2   # alpha=0.1 -> 0.08, epochs=200 -> 199
    for mutant in defaults:
        assert first_difference(module_from_source(mutant.source, mutant.id), reference), mutant.id


# -- fast: the engine is generic ---------------------------------------------------------------

def test_engine_names_nothing_of_ml06():
    hits = []
    for path in sorted((REPO / "gradekit").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                      .splitlines(), 1):
            found = [word for word, pattern in ML06_NAMES.items() if pattern.search(line)]
            if found:
                hits.append(f"{path.relative_to(REPO)}:{number} ({', '.join(found)}): "
                            f"{line.strip()[:80]}")
    assert not hits, f"{len(hits)} lines of the engine name ML06 things:\n" + "\n".join(hits)


def test_ml06_name_patterns():
    """The patterns catch ML06's names and let generic words through."""
    def flagged(text):
        return {word for word, pattern in ML06_NAMES.items() if pattern.search(text)}
    assert flagged("from sklearn.neural_network import MLPClassifier") == {"mlp"}
    assert flagged("make_mlp_221 data_xor XOR_HIDDEN") == {"mlp", "xor"}
    assert flagged("sigmoid_derivative(W1) + w2") == {"sigmoid", "W1/w2"}
    assert flagged("ml06_utils.py data_1.csv") == {"ML06", "data_1"}
    assert not flagged("import sklearn.neural_network; ast.BitXor; dW1x; w21; data_10; "
                       "activation='logistic'; html; xml06; sklearn_models")


# -- slow: the commands, as users run them -------------------------------------------------------

@pytest.mark.slow
def test_release_has_no_solutions(course):
    done = json.loads((course / "release-LR01.json").read_text())
    assert done["returncode"] == 0, done["stderr"]
    assert "released LR01" in done["stdout"]
    release = course / "release" / "LR01"
    assert sorted(p.name for p in release.iterdir()) == ["LR01.ipynb", "lr01_utils.py"]
    text = (release / "LR01.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "ANSWER_DIVERGES = True" not in text and "2 * Xb.T @ residual" not in text
    nb = nbformat.read(release / "LR01.ipynb", as_version=4)
    stubs = [c for c in nb.cells if c.cell_type == "code" and c.metadata.nbgrader.get("solution")]
    assert len(stubs) == 7 and all("raise NotImplementedError()" in c.source for c in stubs)
    grades = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"] for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    assert grades == CELLS
    assert (release / "lr01_utils.py").read_bytes() == (SOURCE / "lr01_utils.py").read_bytes()


@pytest.mark.slow
def test_reference_gets_full_marks(course):
    report = grade_json(course, course / "reference" / "LR01" / "linreg.py")
    assert report["status"] == "graded" and report["assignment"] == "LR01"
    assert report["score"] == report["max_score"] == 5.0, report["tests"]
    assert cell_scores(report) == CELLS
    assert report["load"] == []


@pytest.mark.slow
def test_release_stub_gets_zero(course):
    report = grade_json(course, course / "release" / "LR01" / "LR01.ipynb")
    assert report["status"] == "graded" and report["max_score"] == 5.0
    assert report["score"] == 0.0
    assert set(cell_scores(report)) == set(CELLS)


def library_files():
    return sorted((GRADERS / "mutants").glob("*.py")) + sorted((GRADERS / "variants").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", library_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_library_file_behaves_as_annotated(course, path):
    from gradekit.grading.library import read_example
    example = read_example(path, path.parent.name)
    report = grade_json(course, path)
    got = cell_scores(report)
    if example.kind == "variants":
        assert got == CELLS, report["tests"]
        return
    kept = [cell for cell in example.must_fail if got[cell] >= CELLS[cell] - 1e-9]
    assert not kept, f"{path.name} keeps full points in its must-fail cells {kept}"


@pytest.mark.slow
def test_upload_writes_report_gradebook_and_feedback_page(uploaded):
    from gradekit.attempts import gradebook
    report = uploaded.report
    assert report["status"] == "graded" and report["score"] == report["max_score"] == 5.0
    assert report["upload"]["attempt"] == 1 and report["upload"]["counts"] is True
    assert (uploaded.root / report["upload"]["archive"]).read_bytes() == REFERENCE.read_bytes()
    assert json.loads(Path(uploaded.stem + ".report.json").read_text())["score"] == 5.0
    assert json.loads(Path(uploaded.stem + ".results.json").read_text())["score"] == 5.0
    assert Path(uploaded.stem + ".html").is_file()
    placed = nbformat.read(uploaded.root / "submitted" / "s" / "LR01" / "LR01.ipynb", 4)
    assert {c.metadata.get("nbgrader", {}).get("grade_id") for c in placed.cells} >= set(CELLS)
    assert gradebook.scores(Course(uploaded.root), "LR01")["s"][0] == 5.0


@pytest.mark.slow
def test_feedback_page_shows_the_lr01_figure_and_nothing_of_ml06(uploaded):
    page = Path(uploaded.stem + ".html").read_text(encoding="utf-8")
    feedback = load_module(GRADERS / "feedback.py", "lr01_feedback_page")
    for _, _, caption in feedback.FIGURES:
        assert html.escape(caption) in page or caption in page, caption
    assert re.search(r"<img[^>]*src=['\"]data:image/png;base64,", page), "no picture embedded"
    text = re.sub(r"data:image/\w+;base64,[A-Za-z0-9+/=]+", "", page).lower()   # not the pixels
    shown = [word for word in ML06_CAPTION_WORDS if word.lower() in text]
    assert not shown, f"the LR01 feedback page mentions ML06's pictures: {shown}"


@pytest.mark.slow
def test_warm_server_grades_like_cold(course, tmp_path, warm_server):
    from gradekit.dispatch.jobs import GradeJob
    from gradekit.dispatch.warm_client import grade_remote, is_running
    root = private_course(course, tmp_path / "course")
    samples = [root / "reference" / "LR01" / "linreg.py",
               root / "graders" / "LR01" / "mutants" / "bias_last.py",
               root / "release" / "LR01" / "LR01.ipynb"]
    cold = {path: grade_json(root, path) for path in samples}   # before the server starts
    with warm_server(root, "LR01"):
        for path in samples:
            warm = grade_remote(Course(root), GradeJob("LR01", path.name, path.read_bytes()))
            assert warm is not None, "the server did not answer"
            assert comparable(warm.to_json()) == comparable(cold[path]), path.name
        job = GradeJob("LR01", samples[0].name, samples[0].read_bytes())
        assert "fit_defaults" in grade_remote(Course(root), job).artifacts
        upload = gradekit(root, "upload", "LR01", samples[1], "--student", "warm", "--json")
        assert upload.returncode == 0, upload.stderr
        report = json.loads(upload.stdout)
        assert report["score"] == cold[samples[1]]["score"] and report["upload"]["attempt"] == 1
    assert not is_running(root, "LR01")


@pytest.mark.slow
def test_nbgrader_autograde_scores_as_gradekit_grade(course, tmp_path):
    from nbgrader.api import Gradebook
    root = private_course(course, tmp_path / "course")
    release = nbformat.read(root / "release" / "LR01" / "LR01.ipynb", as_version=4)
    mutant = nbformat.read(root / "release" / "LR01" / "LR01.ipynb", as_version=4)
    mutant.cells.append(nbformat.v4.new_code_cell(   # after the stubs: its definitions count
        (GRADERS / "mutants" / "gradient_sum_not_mean.py").read_text()))
    notebooks = {"nb-reference": nbformat.read(root / "source" / "LR01" / "LR01.ipynb", 4),
                 "nb-stub": release, "nb-mutant": mutant}
    paths = {}
    for student, nb in notebooks.items():
        paths[student] = root / "submitted" / student / "LR01" / "LR01.ipynb"
        paths[student].parent.mkdir(parents=True)
        nbformat.write(nb, paths[student])
    nbgrader(root, "autograde", "LR01", "--student", "nb-*")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        recorded = {s: {g.name: g.score for g in gb.find_submission_notebook("LR01", "LR01", s)
                        .grades} for s in notebooks}
    for student, path in paths.items():
        expected = cell_scores(grade_json(root, path))
        assert set(recorded[student]) == set(CELLS), student
        assert recorded[student] == pytest.approx(expected, abs=1e-4), student
    assert recorded["nb-reference"] == CELLS
    assert sum(recorded["nb-stub"].values()) == 0
    assert recorded["nb-mutant"]["test_gradient"] == 0 and recorded["nb-mutant"]["test_mse"] == 1.0


@pytest.mark.slow
def test_audit_scores_mutants_and_excepts_only_true_equivalents(course):
    from gradekit.audit.mutate import generate
    mutants = generate(REFERENCE.read_text(encoding="utf-8"))
    # every function's first mutant, and every changed constant of fit (its defaults among them)
    chosen = {m.id for m in mutants if m.function == "fit" and m.operator.startswith("Constant")}
    for function in dict.fromkeys(m.function for m in mutants):
        chosen.add(next(m.id for m in mutants if m.function == function))
    only = [arg for mutant_id in sorted(chosen) for arg in ("--only", mutant_id)]
    done = gradekit(course, "audit", "LR01", "--json", "--jobs", "2", *only, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["passed"] and report["reference"]["ok"] and report["release_stub"]["ok"]
    assert report["library"] == {"mutants_killed": 2, "mutants": 2, "variants_ok": 1,
                                 "variants": 1}
    generated = report["generated"]
    assert generated["selected"] == len(chosen) and generated["error"] == 0
    assert generated["mutation_score"] is not None
    reference = load_module(REFERENCE, "lr01_reference_audit")
    sources = {m.id: m.source for m in mutants}
    wrongly_excepted = []
    for row in generated["mutants"]:
        if row["status"] == "equivalent":
            differs = first_difference(module_from_source(sources[row["id"]], row["id"]),
                                       reference)
            if differs:
                wrongly_excepted.append(f"{row['id']} ({differs})")
    assert not wrongly_excepted, \
        f"excepted as equivalent, yet they behave differently: {wrongly_excepted}"
    survivors = {row["id"] for row in generated["mutants"] if row["status"] == "survived"}
    assert survivors, "the changed defaults of fit should survive (the graders accept them)"


@pytest.mark.slow
def test_one_process_grades_both_assignments(course):
    """A grading process (warm worker, test run, nbgrader) may grade ML06 and LR01 in turn."""
    script = (
        "import json, sys\n"
        "from gradekit.course.layout import Course\n"
        "from gradekit.grading.run import grade_path\n"
        "course = Course(sys.argv[1])\n"
        "scores = {}\n"
        "for assignment, path in (('ML06', 'reference/ML06/mlp.py'),\n"
        "                         ('LR01', 'reference/LR01/linreg.py'),\n"
        "                         ('ML06', 'reference/ML06/mlp.py')):\n"
        "    try:\n"
        "        result = grade_path(course, assignment, course.root / path)\n"
        "        scores.setdefault(assignment, []).append([result.score, result.max_score])\n"
        "    except Exception as exc:\n"
        "        scores.setdefault(assignment, []).append(str(exc)[:300])\n"
        "print(json.dumps(scores))\n")
    done = subprocess.run([sys.executable, "-c", script, str(course)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    scores = json.loads(done.stdout.splitlines()[-1])
    assert scores == {"ML06": [[10.0, 10.0], [10.0, 10.0]], "LR01": [[5.0, 5.0]]}


@pytest.mark.slow
def test_instructor_notebook_runs_clean_in_a_kernel(tmp_path, monkeypatch):
    """Every visible test of the instructor notebook passes with the solutions in place."""
    from nbclient import NotebookClient
    folder = shutil.copytree(SOURCE, tmp_path / "LR01")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(folder / "LR01.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) == len(CELLS)
    for cell in tests:
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert printed.startswith("OK"), (cell.id, printed)
