"""Every bad upload of the issue, by name: a one-line reason, a distinct exit code, no
traceback, the bytes archived, nothing written outside the course, no other record touched."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from gradekit.attempts import gradebook
from gradekit.course.layout import Course
from gradekit.manual.questions import questions
from tests.helpers import zipped

REPO = Path(__file__).resolve().parents[2]
SOLVED = REPO / "source" / "ML06" / "ML06.ipynb"


def solved_with(edit):
    """The solved notebook with its nbgrader grade cells edited by `edit(cells)`."""
    notebook = nbformat.read(SOLVED, as_version=4)
    edit(notebook.cells)
    return json.dumps(notebook).encode()   # as a student's editor would save it: unvalidated


def grade_cells(cells):
    return [c for c in cells if c.metadata.get("nbgrader", {}).get("grade")
            and c.cell_type == "code"]


def delete_grade_cells(cells):
    for cell in grade_cells(cells):
        cells.remove(cell)


def duplicate_grade_cells(cells):
    for cell in grade_cells(cells):
        cells.append(nbformat.from_dict(json.loads(json.dumps(cell))))


def raise_points_drop_flags(cells):
    for index, cell in enumerate(grade_cells(cells)):
        if index % 2:
            cell.metadata.nbgrader["points"] = 100
        else:
            cell.metadata.nbgrader["grade"] = False


NBFORMAT_3 = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [
    {"metadata": {}, "cells": [{"cell_type": "code", "language": "python", "outputs": [],
                                "metadata": {}, "input": (REPO / "reference" / "ML06" /
                                                          "mlp.py").read_text()}]}]}).encode()

REJECTED = {   # name: (file name, bytes, words of the reason)
    "empty file": ("a.py", b"", "empty"),
    "random bytes": ("a.ipynb", bytes(range(256)) * 40, "not UTF-8"),
    "json that is not a notebook": ("a.ipynb", b'{"cells": 3}', "not a Jupyter notebook"),
    "truncated notebook": ("a.ipynb", SOLVED.read_bytes()[:5000], "not valid JSON"),
    "non-utf-8 source": ("a.py", "x = 'Příliš'\n".encode("cp1250"), "not UTF-8"),
    "huge file": ("a.py", b"# padding\n" * 700_000, "larger than"),
    "zip with ../ path": ("a.zip", zipped({"../../evil.py": "x = 1"}), "outside the archive"),
    "zip with absolute path": ("a.zip", zipped({"/tmp/evil.py": "x = 1"}), "outside the archive"),
    "zip with symlink": ("a.zip", zipped({"a.py": "x = 1"}, symlink="b.py",
                                         link_target="../../reference/ML06/mlp.py"),
                         "symbolic link"),
    "zip bomb": ("a.zip", zipped({"a.py": b"#" * (300 << 20)}, compress=zipfile.ZIP_DEFLATED),
                 "larger than"),
    "two candidate solutions": ("a.zip", zipped({"a.py": "x = 1", "b.py": "x = 2"}),
                                "several candidate solutions"),
    "zip with no code": ("a.zip", zipped({"notes.txt": "hello"}), "no .ipynb or .py"),
    "unknown extension": ("a.docx", b"PK\x03\x04 word", "unsupported file type"),
}
GRADED = {     # name: (file name, bytes, expected score)
    "nbformat 3 notebook": ("old.ipynb", NBFORMAT_3, 10.0),
    "syntax error": ("a.py", (REPO / "reference" / "ML06" / "mlp.py").read_bytes()
                     + b"\ndef broken(:\n    pass\n", 10.0),
    "grade cells deleted": ("a.ipynb", solved_with(delete_grade_cells), 10.0),
    "grade cells duplicated": ("a.ipynb", solved_with(duplicate_grade_cells), 10.0),
    "grade metadata edited": ("a.ipynb", solved_with(raise_points_drop_flags), 10.0),
}


@pytest.fixture(scope="module")
def course_with_alice(tmp_path_factory):
    """A course copy where alice already has a graded upload (her record must not change)."""
    root = Course(REPO).copy_to(tmp_path_factory.mktemp("bad") / "course").root
    (root / "gradekit.toml").write_text("[ML06]\n")
    done = upload(root, REPO / "reference" / "ML06" / "mlp.py", "alice")
    assert done.returncode == 0, done.stderr
    return root


def upload(course, path, student):
    return subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", "ML06", str(path),
                           f"--student={student}"], cwd=course, capture_output=True, text=True,
                          timeout=600)


def check_nothing_else_changed(course):
    assert gradebook.scores(Course(course), "ML06")["alice"][0] == 10.0
    assert sorted(p.name for p in course.parent.iterdir()) == ["course", "inputs"]


def send(course, name, filename, data, student):
    inputs = course.parent / "inputs"
    inputs.mkdir(exist_ok=True)
    path = inputs / f"{''.join(ch if ch.isalnum() else '_' for ch in name)}-{filename}"
    path.write_bytes(data)
    return upload(course, path, student), path


@pytest.mark.slow
@pytest.mark.parametrize("name", REJECTED)
def test_rejected_with_reason(course_with_alice, name):
    filename, data, reason = REJECTED[name]
    student = "s_" + "".join(ch for ch in name if ch.isalnum())
    done, path = send(course_with_alice, name, filename, data, student)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert reason in done.stderr
    archived = list((course_with_alice / "uploads" / student / "ML06").glob("*-*.*"))
    assert [p.read_bytes() for p in archived] == [data]
    check_nothing_else_changed(course_with_alice)


@pytest.mark.slow
@pytest.mark.parametrize("name", GRADED)
def test_graded_despite_oddities(course_with_alice, name):
    filename, data, score = GRADED[name]
    student = "g_" + "".join(ch for ch in name if ch.isalnum())
    done, path = send(course_with_alice, name, filename, data, student)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith(f"ML06: {score:.2f} / 10.00 points"), done.stdout[:300]
    course = Course(course_with_alice)
    # nbgrader's maximum counts the cells graded by hand too (waiting for a grade)
    by_hand = sum(question.max_score for question in questions(course, "ML06"))
    assert gradebook.scores(course, "ML06")[student] == (score, 10.0 + by_hand)
    check_nothing_else_changed(course_with_alice)


@pytest.mark.parametrize("student", ["../x", "", "a/b", "..", "-rf"])
def test_bad_student_ids(course_with_alice, student):
    done, _ = send(course_with_alice, "id", "a.py", b"x = 1\n", student)
    assert done.returncode == 2 and "invalid student id" in done.stderr
    assert "Traceback" not in done.stderr
    assert (course_with_alice / "uploads" / "_invalid-student" / "ML06").is_dir()
    check_nothing_else_changed(course_with_alice)
