"""`gradekit release ML06`: fresh, byte-identical, solution-free output and clean errors."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from gradekit.commands.release import ReleaseError, load_notebook, verify

COPIED = ("source", "reference", "nbgrader_config.py")   # all that release reads


def make_course(course_root, target):
    """A throwaway course at target, so releasing never touches the repository tree."""
    for name in COPIED:
        if (course_root / name).is_dir():
            shutil.copytree(course_root / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(course_root / name, target / name)
    return target


def release(course):
    """Run the CLI as users do, from the course root; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "gradekit.cli", "release", "ML06"], cwd=course,
                          capture_output=True, text=True, check=False)


def snapshot(folder):
    """{relative path: bytes} of every file below folder."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def released(course_root, tmp_path_factory):
    """Release a fresh course copy twice; returns (first, second) snapshots of release/ML06."""
    course = make_course(course_root, tmp_path_factory.mktemp("course"))
    runs = []
    for _ in range(2):
        done = release(course)
        assert done.returncode == 0, done.stderr
        assert done.stderr == "" and len(done.stdout.splitlines()) <= 3
        runs.append(snapshot(course / "release" / "ML06"))
    return runs


@pytest.fixture
def course(course_root, tmp_path):
    """A fresh course copy for one test to break."""
    return make_course(course_root, tmp_path)


@pytest.mark.slow
def test_committed_release_is_fresh(released, course_root):
    assert snapshot(course_root / "release" / "ML06") == released[0]


@pytest.mark.slow
def test_second_run_is_byte_identical(released):
    assert released[1] == released[0]


@pytest.mark.slow
def test_release_ships_public_files_without_solutions(released):
    assert sorted(released[0]) == ["ML06.ipynb", "data_1.csv", "data_xor.csv", "ml06_utils.py"]
    nb = json.loads(released[0]["ML06.ipynb"])
    sources = "\n".join("".join(cell["source"]) for cell in nb["cells"])
    for secret in ("SOLUTION", "HIDDEN TESTS", "np.logaddexp(0.0", "ANSWER_TASK1 = False",
                   "XOR_HIDDEN = 4", "delta3 = (y_hat - y)", "hidden_layer_sizes=(8,)"):
        assert secret not in sources
    assert sources.count("raise NotImplementedError()") == 22
    answers = ["".join(cell["source"]) == "YOUR ANSWER HERE" for cell in nb["cells"]]
    assert sum(answers) == 5   # the free-text answers of tasks 3, 4, 10, 12 and 14
    assert all(not cell.get("outputs") for cell in nb["cells"])


def edit_notebook(course, change):
    """Apply change(dict) to the course's source notebook JSON."""
    path = course / "source" / "ML06" / "ML06.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb), encoding="utf-8")


def grade_cell(nb, grade_id):
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def duplicate_grade_id(nb):
    grade_cell(nb, "test_loss")["metadata"]["nbgrader"]["grade_id"] = "test_forward"


def drop_points(nb):
    del grade_cell(nb, "test_train")["metadata"]["nbgrader"]["points"]


def unmarked_solution(nb):
    cell = next(c for c in nb["cells"] if c["id"] == "load_data_1")
    cell["source"] = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
    del cell["metadata"]["nbgrader"]


def break_json(course):
    path = course / "source" / "ML06" / "ML06.ipynb"
    path.write_text(path.read_text(encoding="utf-8")[:-10], encoding="utf-8")


@pytest.mark.parametrize("breakage, message", [
    (lambda c: (c / "source" / "ML06" / "ML06.ipynb").unlink(), "no source notebook"),
    (lambda c: edit_notebook(c, duplicate_grade_id), "duplicate grade_id 'test_forward'"),
    (lambda c: edit_notebook(c, drop_points), "grade cell 'test_train' needs non-negative points"),
    (break_json, "not valid notebook JSON"),
    pytest.param(lambda c: edit_notebook(c, unmarked_solution),   # found by nbgrader: seconds
                 "generate_assignment failed: RuntimeError: Solution region detected in a non-solution cell",
                 marks=pytest.mark.slow),
], ids=["missing-notebook", "duplicate-grade-id", "no-points", "bad-json", "unmarked-solution"])
def test_errors_are_one_line_with_exit_2(course, breakage, message):
    breakage(course)
    done = release(course)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("gradekit: error: ") and message in done.stderr


def ship(course, name, data):
    """Put a file into source/ML06 and, as nbgrader would copy it, into release/ML06."""
    for folder in ("source", "release"):
        (course / folder / "ML06" / name).write_bytes(data)


@pytest.mark.parametrize("leak, message", [
    (lambda c: None, None),
    (lambda c: ship(c, "mlp.py", (c / "reference" / "ML06" / "mlp.py").read_bytes()),
     "copy of an instructor-only file"),
    (lambda c: ship(c, "notes.txt", b"delta_h = Z * (1 - Z) * np.outer(delta3, w2[1:])\n"),
     "leaks solution line"),
    (lambda c: ship(c, "notes.txt", b"see the ### BEGIN SOLUTION block\n"), "contains 'BEGIN SOLUTION'"),
    (lambda c: (c / "release" / "ML06" / "data_1.csv").unlink(), "differ from the public source files"),
], ids=["committed-release-passes", "reference-copy", "solution-line", "marker", "missing-file"])
def test_verify_catches_leaks(course, course_root, leak, message):
    """The checks after nbgrader, run on the committed release (nbgrader itself is slow)."""
    shutil.copytree(course_root / "release", course / "release")
    leak(course)
    notebooks = {path: load_notebook(path) for path in (course / "source" / "ML06").glob("*.ipynb")}
    if message is None:
        assert verify(course, "ML06", notebooks) == 4
    else:
        with pytest.raises(ReleaseError, match=re.escape(message)):
            verify(course, "ML06", notebooks)
