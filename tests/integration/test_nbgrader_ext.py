"""`nbgrader autograde` with gradekit's preprocessors scores exactly as `gradekit grade` does.

The slow tests run nbgrader as users do (a subprocess in a throwaway copy of the course) on one
batch of students, and grade the same files with gradekit in this process meanwhile.
"""
import copy
import fcntl
import os
import pickle
import shutil
import subprocess
import sys
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader import utils
from nbgrader.api import Gradebook

from gradekit.course.layout import Course
from gradekit.grading import results, run
from gradekit.grading.library import load_library, read_example
from gradekit.integrations.nbgrader import SandboxedGrading
from gradekit.submissions.load import Rejected
from tests.conftest import run_nbgrader as nbgrader

COPIED = ("nbgrader_config.py", "source", "release", "graders", "reference", "data")
MUTANTS = ("grad_w2_off_by_one", "sigmoid_wrong_formula", "train_gradient_ascent")
AGREEING = ("reference", "stub", *MUTANTS, "tampered", "raw_transformer", "without_manual")
PROBES = '''import os
if os.environ.get("NBGRADER_EXECUTION"):   # set by nbgrader around autograding: must not count
    def sigmoid(a):
        return 0 * a
_sigmoid = sigmoid
def sigmoid(a):   # still correct; what it prints reaches the feedback page
    print("<script>alert('student')</script>")
    return _sigmoid(a)
'''
# the untouched nbgrader 0.9.6 pipeline (Execute in a kernel), for comparison only
STOCK_CONFIG = '''
from nbgrader.converters.autograde import Autograde as _Stock
for _name in ("sanitize_preprocessors", "autograde_preprocessors"):
    setattr(c.Autograde, _name, _Stock.class_traits()[_name].default())
c.OverwriteCells.add_missing_cells = False
'''


# -- fast: the preprocessor on its own -------------------------------------------------------

grade_cells = SandboxedGrading.grade_cells   # {grade_id: autograded code cell}


def manual_cells(root):
    """grade_ids of the cells graded by hand: free-text answers and task cells (plots)."""
    nb = nbformat.read(root / "source" / "ML06" / "ML06.ipynb", as_version=4)
    return {c.metadata.nbgrader["grade_id"] for c in nb.cells if c.cell_type == "markdown"
            and (utils.is_grade(c) or utils.is_task(c))}


def run_preprocessor(course_root, monkeypatch, outcome):
    """SandboxedGrading on the release notebook, with grade_submission replaced by `outcome`."""
    monkeypatch.setattr(run, "grade_submission", outcome)
    nb = nbformat.read(course_root / "release" / "ML06" / "ML06.ipynb", as_version=4)
    resources = {"nbgrader": {"assignment": "ML06", "notebook": "ML06", "student": "s"}}
    nb, _ = SandboxedGrading(course_root=str(course_root)).preprocess(nb, resources)
    return grade_cells(nb)


def scores(cells):
    return {name: utils.determine_grade(cell)[0] for name, cell in cells.items()}


@pytest.mark.smoke
def test_outputs_score_full_partial_zero_and_uncovered(course_root, monkeypatch):
    def outcome(course, assignment, submission, **kwargs):
        check = results.TestResult
        tests = [check("a::full", 0.5, 0.5, "passed", "visible", "", "test_sigmoid"),
                 check("b::half", 0.5, 1.0, "failed", "visible", "off\nby one", "test_forward"),
                 check("b::hid", 0.0, 1.0, "failed", "hidden", "line\ndetail", "test_forward"),
                 check("c::zero", 0.0, 1.0, "error", "visible", "not implemented", "test_loss")]
        return results.GradingResult(assignment, "graded", tests=tests, sandbox="test")
    cells = run_preprocessor(course_root, monkeypatch, outcome)
    got = scores(cells)
    assert got["test_sigmoid"] == 0.5 and got["test_loss"] == 0 and got["test_train"] == 0
    assert got["test_forward"] == pytest.approx(0.25)   # 0.5 of 2.0 test points, cell worth 1.0
    for cell in cells.values():
        assert not any(o.output_type == "stream" and o.name == "stderr" for o in cell.outputs)
    assert "no grader checks this cell" in cells["test_train"].outputs[0].evalue
    assert [o.output_type for o in cells["test_forward"].outputs] == ["stream", "execute_result"]
    assert cells["test_loss"].outputs[0].ename == "GradeFailed"
    shown = cells["test_forward"].outputs[0].text
    assert "off\n" in shown and "line" in shown and "detail" not in shown   # hidden: one line


@pytest.mark.parametrize("failure", [Rejected("not a valid notebook: broken"),
                                     RuntimeError("grading infrastructure failed: no bwrap")])
def test_rejection_and_infrastructure_failure_give_zero_without_traceback(
        course_root, monkeypatch, failure):
    def outcome(*args, **kwargs):
        raise failure
    if isinstance(failure, Rejected):   # what gradekit's loader raises for a broken notebook
        monkeypatch.setattr(run, "load_bytes", outcome)
    cells = run_preprocessor(course_root, monkeypatch, outcome)
    assert len(cells) == 10 and set(scores(cells).values()) == {0}
    reasons = {cell.outputs[0].evalue for cell in cells.values()}
    expected = "rejected" if isinstance(failure, Rejected) else "infrastructure"
    assert len(reasons) == 1 and expected in reasons.pop()


# -- slow: nbgrader autograde in a copy of the course ----------------------------------------

def with_cell(nb, source):
    nb = copy.deepcopy(nb)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def attack_in_layout(release, attack):
    """The release with its code answers deleted and the attack's cells before the first test."""
    kept = [c for c in release.cells
            if not (c.cell_type == "code" and utils.is_solution(c) and not utils.is_grade(c))]
    first_test = next(i for i, c in enumerate(kept) if utils.is_grade(c) and c.cell_type == "code")
    plain = [nbformat.v4.new_code_cell(c.source) for c in attack.cells if c.cell_type == "code"]
    nb = copy.deepcopy(release)
    nb.cells = kept[:first_test] + plain + kept[first_test:]
    return nb


def without_manual(nb):
    """A notebook of a release without manually graded cells (an older release)."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and (
        utils.is_grade(c) or utils.is_task(c)))]
    return nb


def tampered(nb):
    """Deleted test cell, raised points, removed grade flag, a home-made grade cell."""
    nb = with_cell(nb, "FAKE = 1")
    nb.cells[-1].metadata.nbgrader = {"grade": True, "grade_id": "fake", "points": 50.0,
                                      "solution": False, "locked": False, "schema_version": 3}
    cells = grade_cells(nb)
    nb.cells.remove(cells["test_sigmoid"])
    cells["test_forward"].metadata.nbgrader["points"] = 5.0
    cells["test_loss"].metadata.nbgrader["grade"] = False
    del cells["test_loss"].metadata.nbgrader["points"]
    return nb


def students(root):
    """{student id: notebook} in nbgrader's submission layout."""
    release = nbformat.read(root / "release" / "ML06" / "ML06.ipynb", as_version=4)
    graders = root / "graders" / "ML06"
    reference = (root / "reference" / "ML06" / "mlp.py").read_text()
    solved = with_cell(release, reference)
    nbs = {"reference": nbformat.read(root / "source" / "ML06" / "ML06.ipynb", as_version=4),
           "stub": release, "tampered": tampered(with_cell(solved, PROBES)),
           "raw_transformer": nbformat.read(graders / "attacks" / "input_transformer.ipynb", 4),
           "without_manual": without_manual(solved)}
    for name in MUTANTS:
        mutant = read_example(graders / "mutants" / f"{name}.py", "mutants")
        nbs[name] = with_cell(release, mutant.source())   # base plus override
    for name in ("input_transformer", "allclose_patch"):
        attack = nbformat.read(graders / "attacks" / f"{name}.ipynb", as_version=4)
        nbs[name] = attack_in_layout(release, attack)
    return nbs


def autograded(root, student):
    return nbformat.read(root / "autograded" / student / "ML06" / "ML06.ipynb", as_version=4)


def gradebook_scores(root, student_ids):
    """{student: ({grade cell: score}, total)} read back from nbgrader's gradebook."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook
        return {s: ({g.name: g.score for g in notebook("ML06", "ML06", s).grades},
                    gb.find_submission("ML06", s).score) for s in student_ids}


def waiting_for_hand(root, student):
    """The student's cells that nbgrader's gradebook marks as needing a manual grade."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grades = gb.find_submission_notebook("ML06", "ML06", student).grades
        return {g.name for g in grades if g.needs_manual_grade}


def copy_course(course_root, root):
    for name in COPIED:
        if (course_root / name).is_dir():
            shutil.copytree(course_root / name, root / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.db"))
        else:
            shutil.copy2(course_root / name, root / name)
    nbgrader(root, "generate_assignment", "ML06", "--force")
    return root


def submit(course, student, nb):
    path = course / "submitted" / student / "ML06" / "ML06.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def autograde(course, *args):
    return subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", "ML06", *args],
                            cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process):
    _, log = process.communicate(timeout=900)
    assert process.returncode == 0, log[-3000:]
    return log


def grade_batch(course_root, tmp_path_factory):
    """`nbgrader autograde ML06` over all students, then `--student solo` alone, and a stock
    run of one attack, while gradekit grades the same files in this process."""
    root = copy_course(course_root, tmp_path_factory.mktemp("course"))
    stock = tmp_path_factory.mktemp("stock")
    shutil.copytree(root / "source", stock / "source")
    shutil.copy2(root / "gradebook.db", stock / "gradebook.db")
    (stock / "nbgrader_config.py").write_text((root / "nbgrader_config.py").read_text()
                                              + STOCK_CONFIG)
    nbs = students(root)
    paths = {student: submit(root, student, nb) for student, nb in nbs.items()}
    submit(stock, "input_transformer", nbs["input_transformer"])
    running = [autograde(root), autograde(stock, "--student", "input_transformer")]
    mutant = read_example(root / "graders" / "ML06" / "mutants" / "predict_inverted.py",
                          "mutants")
    late = with_cell(nbs["stub"], mutant.source())   # submitted after the batch
    solo = root / "late" / "ML06.ipynb"
    solo.parent.mkdir()
    nbformat.write(late, solo)
    course = Course(root)
    reports = {s: run.grade_path(course, "ML06", p) for s, p in {**paths, "solo": solo}.items()}
    log, _ = finish(running[0]), finish(running[1])
    before = gradebook_scores(root, paths)
    submit(root, "solo", late)
    finish(autograde(root, "--student", "solo"))
    return SimpleNamespace(root=root, log=log, results=reports, nbgrader=before,
                           waiting={s: waiting_for_hand(root, s) for s in paths},
                           after_solo=gradebook_scores(root, [*paths, "solo"]),
                           stock=gradebook_scores(stock, ["input_transformer"]))


@pytest.fixture(scope="module")
def graded(course_root, tmp_path_factory):
    """The batch, once per run: under pytest-xdist the first worker grades, others wait."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return grade_batch(course_root, tmp_path_factory)
    shared = tmp_path_factory.getbasetemp().parent   # this run's temp root, shared by workers
    with open(shared / "nbgrader_batch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = shared / "nbgrader_batch.pickle"
        if not cache.exists():
            cache.write_bytes(pickle.dumps(grade_batch(course_root, tmp_path_factory)))
        return pickle.loads(cache.read_bytes())


@pytest.mark.slow
@pytest.mark.parametrize("student", AGREEING)
def test_nbgrader_and_gradekit_agree(graded, student):
    cells, total = graded.nbgrader[student]
    result = graded.results[student]
    assert result.status == "graded", result.error
    manual = manual_cells(graded.root)   # graded by hand: 0 until then
    assert set(result.cell_scores()) == set(cells) - manual   # every test cell has graders
    for cell, (got, _) in result.cell_scores().items():
        assert cells[cell] == pytest.approx(got, abs=1e-4), cell
    assert {cells[cell] for cell in manual} == {0}
    assert total == pytest.approx(result.score, abs=1e-4)
    expected = {"reference": 10.0, "stub": 0.0, "tampered": 10.0, "without_manual": 10.0}
    assert result.score == pytest.approx(expected.get(student, result.score))


@pytest.mark.slow
def test_partial_and_zero_scores_are_written_as_nbgrader_reads_them(graded):
    cells = grade_cells(autograded(graded.root, "grad_w2_off_by_one"))
    kinds = {name: [o.output_type for o in cell.outputs] for name, cell in cells.items()}
    assert kinds["test_sigmoid"] == ["stream"]                           # full points
    assert "execute_result" in kinds["test_gradients"]                   # partial credit
    assert graded.nbgrader["grad_w2_off_by_one"][0]["test_gradients"] == pytest.approx(0.6274)
    assert "display_data" in kinds["test_train"] and "display_data" in kinds["test_xor"]
    stub = grade_cells(autograded(graded.root, "stub"))
    assert all(cell.outputs[0].output_type == "error" for cell in stub.values())
    assert "Traceback" not in graded.log


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["input_transformer", "allclose_patch"])
def test_attack_in_submission_layout_gains_nothing(graded, course_root, attack):
    """The exploit buys nothing over plain `gradekit grade`: the checks its wrong code must
    fail score as gradekit scores them (0 unless a grader gives partial credit for a part
    that is right), never full points; stock nbgrader gave the transformer full points."""
    example = next(e for e in load_library(course_root / "graders" / "ML06", ("attacks",))
                   if e.path.stem == attack)
    cells, _ = graded.nbgrader[attack]
    gradekit = graded.results[attack].cell_scores()
    assert {c: cells[c] for c in gradekit} == pytest.approx(
        {c: got for c, (got, _) in gradekit.items()}, abs=1e-4)
    rewarded = {c: cells[c] for c in example.must_fail if cells[c] >= gradekit[c][1] - 1e-9}
    assert rewarded == {}
    if attack == "input_transformer":   # Execute ran every test cell as `pass`
        stock, _ = graded.stock[attack]
        assert {c: stock[c] for c in example.must_fail} == {
            c: gradekit[c][1] for c in example.must_fail}


@pytest.mark.slow
def test_tampered_cells_are_restored(graded):
    cells = grade_cells(autograded(graded.root, "tampered"))
    assert set(cells) == set(graded.nbgrader["stub"][0]) - manual_cells(graded.root)
    assert cells["test_forward"].metadata.nbgrader["points"] == 1.0
    got, _ = graded.nbgrader["tampered"]
    assert (got["test_sigmoid"], got["test_forward"], got["test_loss"]) == (0.5, 1.0, 1.0)


@pytest.mark.slow
def test_generate_feedback_shows_pictures_not_grader_source(graded):
    nbgrader(graded.root, "generate_feedback", "ML06")
    page = (graded.root / "feedback" / "reference" / "ML06" / "ML06.html").read_text()
    assert page.count("data:image/png") == 3
    printed = (graded.root / "feedback" / "tampered" / "ML06" / "ML06.html").read_text()
    assert "alert(&#39;student&#39;)" in printed or "alert('student')" in printed
    assert "<script>alert(" not in printed
    for path in (graded.root / "graders" / "ML06").glob("test_*.py"):
        leaked = [line.strip() for line in path.read_text().splitlines()
                  if len(line.strip()) > 30 and line.strip() in page]
        assert leaked == [], path.name


@pytest.mark.slow
def test_single_student_autograde_agrees_and_keeps_the_others(graded):
    cells, total = graded.after_solo["solo"]
    result = graded.results["solo"]
    assert cells["test_predict"] == 0 and total == pytest.approx(result.score, abs=1e-4)
    assert {c: cells[c] for c in result.cell_scores()} == pytest.approx(
        {c: got for c, (got, _) in result.cell_scores().items()}, abs=1e-4)
    assert {s: graded.after_solo[s] for s in graded.nbgrader} == graded.nbgrader


@pytest.mark.slow
def test_manual_cells_wait_for_a_hand_grade(graded):
    """Plots (task cells) always wait; answers wait once written, and a notebook of a release
    without the manual cells gets them back, waiting; the stub's unchanged answers score 0."""
    manual = manual_cells(graded.root)
    tasks = {cell for cell in manual if cell.endswith("_plot")}
    assert len(manual) == 10 and len(tasks) == 5
    assert graded.waiting["reference"] == manual   # every model answer differs from the stub
    assert graded.waiting["without_manual"] == manual
    assert graded.waiting["stub"] == tasks
    restored = autograded(graded.root, "without_manual")
    assert {c.metadata.get("nbgrader", {}).get("grade_id") for c in restored.cells} >= manual
