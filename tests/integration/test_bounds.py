"""Hostile uploads cost bounded work on the trusted side: every cap is a one-line rejection
naming itself, and work that used to grow faster than the upload is linear.

The attack inputs are generated here (nothing big in git).  Rejections are checked on the
loader, through `gradekit upload` cold and warm, and through the web API; answers crossing
back from the sandbox are checked on the codec and through a real sandbox, cold and warm, at
both sandbox levels.
"""
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from gradekit.submissions import bounds
from gradekit.course.layout import Course
from gradekit.sandbox import Sandbox, StudentError
from gradekit.sandbox.inside import codec
from gradekit.sandbox.starters import ZygoteStart
from gradekit.submissions.load import Rejected, load_bytes
from tests.helpers import zipped

REPO = Path(__file__).resolve().parents[2]
ML06 = Course(REPO).loading_options("ML06")


def notebook(*sources, grade_ids=None, **cell_extra):
    ids = grade_ids or [None] * len(sources)
    cells = [nbformat.v4.new_code_cell(source, **cell_extra, metadata={"nbgrader": {
        "grade_id": i, "solution": True, "grade": False}} if i else {})
        for source, i in zip(sources, ids)]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells)).encode()


def deep_json(depth):
    return ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {"x": ' + "[" * depth
            + "]" * depth + '}, "cells": []}').encode()


def encrypted_zip():
    """A zip whose solution is flagged encrypted, as a password-protected one is (zipfile
    cannot encrypt: the flag bit, in both headers, is what a reader acts on)."""
    data = bytearray(zipped({"ML06.ipynb": notebook("x = 1")}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.index(signature) + offset] |= 0x1
    return bytes(data)


TOO_DEEP = {   # expressions past CPython's parser stack or compiler recursion, each < 200 kB
    "binary chain": "x = " + "1+" * 60_000 + "1\n",
    "call chain": "x = f" + "()" * 60_000 + "\n",
    "attribute chain": "x = a" + ".b" * 60_000 + "\n",
    "unary chain": "x = " + "-" * 60_000 + "1\n",
    "nested lambdas": "x = " + "lambda: " * 20_000 + "1\n",
    "nested conditionals": "x = " + "1 if a else " * 15_000 + "1\n",
}

REJECTED = {   # name: (file name, bytes, words of the reason)
    "JSON nested under json's recursion limit": ("a.ipynb", deep_json(200), "nested deeper than 64"),
    "JSON nested past json's recursion limit": ("a.ipynb", deep_json(100_000),
                                                 "nested deeper than 64"),
    "JSON of many small arrays": ("a.ipynb", b'{"nbformat": 4, "cells": [' + b"[]," * 600_000
                                  + b"[]]}", "more than 500000 arrays"),
    "encrypted zip member": ("a.zip", encrypted_zip(), "encrypted"),
    "zip bomb by ratio": ("a.zip", zipped({"a.py": b"#" * (4 << 20)}, zipfile.ZIP_DEFLATED),
                          "compressed more than"),
    "zip members too large in all": ("a.zip", zipped({f"d{i}.csv": b"0" * (3 << 20)
                                                      for i in range(8)} | {"a.py": b"x = 1"},
                                                     zipfile.ZIP_DEFLATED),
                                     "larger than 20 MB in all"),
    "zip name nested deep": ("a.zip", zipped({"d/" * 40 + "a.py": b"x = 1"}, zipfile.ZIP_DEFLATED),
                             "folders deep"),
    "too many cells": ("a.ipynb", notebook(*["x = 1"] * (bounds.MAX_CELLS + 1)),
                       f"more than the {bounds.MAX_CELLS} allowed"),
    "too many outputs": ("a.ipynb", notebook("x = 1", outputs=[nbformat.v4.new_output(
        "stream", text="x")] * (bounds.MAX_OUTPUTS + 1)), f"more than the {bounds.MAX_OUTPUTS}"),
    "cell too long": ("a.ipynb", notebook("#" * (bounds.MAX_SOURCE_CHARS + 1)),
                      "cell 1 has 200001 characters"),
    "script too long": ("a.py", b"#" * (bounds.MAX_SOURCE_CHARS + 1), "characters, more than"),
    "too many statements": ("a.py", b"x=1\n" * (bounds.MAX_STATEMENTS + 1),
                            f"more than the {bounds.MAX_STATEMENTS} allowed"),
    "too many broken statements": ("a.py", b"x=(\n" * (bounds.MAX_STATEMENTS + 1),
                                   f"more than the {bounds.MAX_STATEMENTS} allowed"),
} | {f"{name} in a script": ("a.py", source.encode(), "nested deeper than Python's compiler")
     for name, source in TOO_DEEP.items()} \
  | {f"{name} in a cell": ("a.ipynb", notebook("y = 1", source), "cell 2: an expression")
     for name, source in TOO_DEEP.items()}


@pytest.mark.parametrize("name", REJECTED)
def test_over_a_cap_is_a_one_line_rejection_naming_it(name):
    filename, data, reason = REJECTED[name]
    began = time.monotonic()
    with pytest.raises(Rejected, match=reason) as caught:
        load_bytes(filename, data, **ML06)
    assert len(str(caught.value).splitlines()) == 1
    assert time.monotonic() - began < 30   # each is ~0.5 s at most on an idle core


def chained_experiments(n):
    """n experiment cells, each read by the next: dependency analysis that repeats itself
    per removed cell is quadratic here (90 s for 2000 cells, 500 kB)."""
    sources = [f"x{i} = x{i + 1}" for i in range(n)] + ["print(x0)"]
    return notebook(*sources, grade_ids=[f"e{i}" for i in range(n)] + [None])


def broken_script(n):
    """A script that does not parse, with n top-level blocks after 40n comment lines:
    blocks padded with blank lines up to their line numbers make this quadratic (8 s for
    n = 2000, 170 kB)."""
    return ("def f(:\n" + "#\n" * (40 * n) + "x = (\n" * n).encode()


@pytest.mark.parametrize("make, experiments", [
    (chained_experiments, lambda n: [f"e{i}" for i in range(n)]),
    (broken_script, lambda n: ())])
def test_work_grows_linearly_with_the_upload(make, experiments):
    """10x the upload costs well under 30x the time (quadratic work would cost ~100x);
    the best of three runs, so that a busy machine does not decide it."""
    def cost(n):
        data = make(n)
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            load_bytes("a.ipynb" if data.startswith(b"{") else "a.py", data,
                       experiments=experiments(n))
            runs.append(time.perf_counter() - began)
        return min(runs)
    small, large = cost(190), cost(1900)
    assert large < 30 * small + 0.1, (small, large)


def test_a_lone_surrogate_is_a_failing_unit_not_our_failure():
    """JSON can escape one; the compiler cannot take it (nor can a .py: it is not UTF-8)."""
    cells = load_bytes("a.ipynb", notebook("s = 'X'", "y = 2").replace(b"X", rb"\ud800"),
                       **ML06).units
    assert [u.label for u in cells] == ["cell 1", "cell 2"] and "\ud800" in cells[0].source


def test_units_keep_the_script_line_numbers_without_padding():
    units = load_bytes("a.py", b"x = 1\n\n\ndef f():\n    return 1\n").units
    assert [(u.label, u.source, u.line) for u in units] == [
        ("line 1", "x = 1\n", 1), ("line 4", "def f():\n    return 1\n", 4)]


def test_the_sandbox_reports_the_uploaded_files_line_numbers(sandbox_mode):
    units = load_bytes("a.py", b"x = 1\n\n\ny = 1 / 0\n\ndef f(:\n    pass\n").units
    with Sandbox(units) as sandbox:
        errors = [outcome.error for outcome in sandbox.outcomes]
    assert "ZeroDivisionError" in errors[1] and "line 4" in errors[1]
    assert "SyntaxError" in errors[2] and "line 6" in errors[2]


FORGED = {   # a line written to the answer pipe by student code: words of the reason
    b"[" * 150_000 + b"]" * 150_000: "lists or arrays",
    b'{"ok": true, "value": ' + b"[" * 5_000 + b"]" * 5_000 + b"}": "nested deeper",
    b'{"ok": true, "value": ' + b"9" * 5_000 + b"}": "more than 20 digits",
    b'{"ok": true, "value": [' + b"0," * 2_500_000 + b"0]}": "more than 2000000 numbers",
    b"not json": "garbled",
}
MALFORMED = [   # what decode_output is handed after json.loads: never more than NotPlain
    {"__ndarray__": [1, 2], "dtype": "<f8", "shape": [3]},
    {"__ndarray__": [1], "dtype": "<f8", "shape": [-1]},
    {"__ndarray__": [1], "dtype": "<f8", "shape": [10 ** 30, 0]},
    {"__ndarray__": [1], "dtype": "|O", "shape": [1]},
    {"__ndarray__": [2 ** 70], "dtype": "<i8", "shape": [1]},
    {"__ndarray__": [[1]], "dtype": "<f8", "shape": [1]},
    {"__ndarray__": [1], "dtype": ["<f8"], "shape": [1]},
    {"__ndarray__": [1], "dtype": "<f8"},
    {"__list__": 3}, {"__dict__": [1]}, {"other": 1}, [1, 2],
    {"__ndarray__": [0.0] * 10, "dtype": "<f8", "shape": [1] * 40},
    {"__list__": [{"__ndarray__": [0.0] * 1_500_000, "dtype": "<f8", "shape": [1_500_000]}] * 2},
]


@pytest.mark.parametrize("line", FORGED, ids=lambda line: FORGED[line])
def test_forged_answer_lines_are_refused_before_they_are_built(line):
    with pytest.raises(codec.NotPlain, match=FORGED[line]):
        codec.decode_output(codec.loads_answer(line).get("value"))


@pytest.mark.parametrize("data", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_answers_are_the_students_not_ours(data):
    with pytest.raises(codec.NotPlain):
        codec.decode_output(data)


def test_what_encode_output_writes_decodes_unchanged():
    value = (np.arange(6, dtype=np.int64).reshape(2, 3), [1, 2.5, "a"], {"k": np.float32(2)})
    back = codec.decode_output(codec.loads_answer(json.dumps(codec.encode_output(value))
                                                  .encode()))
    assert back[0].dtype == np.int64 and back[0].shape == (2, 3) and back[1] == [1, 2.5, "a"]
    assert back[2]["k"].dtype == np.float32


HOSTILE_ANSWERS = """
import gc
import numpy as np

def _forge(line):
    child = next(o for o in gc.get_objects() if type(o).__name__ == "Child")
    child.outbox.write(line)
    child.outbox.flush()
    return 1

def deep():
    top = inner = []
    for _ in range(100):
        inner.append([])
        inner = inner[0]
    return top

def huge_int():
    return 10 ** 30

def many_numbers():
    return np.zeros(3_000_000)

def forged_deep():
    return _forge(b'{"ok": true, "value": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\\n")

def forged_int():
    return _forge(b'{"ok": true, "value": ' + b"9" * 4000 + b"}\\n")

def forged_shape():
    return _forge(b'{"ok": true, "value": {"__ndarray__": [1], "dtype": "<f8", '
                  b'"shape": [100000, 100000]}}\\n')

def fine():
    return np.ones(3)
"""
HOSTILE = {"deep": "nested deeper than 32", "huge_int": "more than 20 digits",
           "many_numbers": "more than 2000000 numbers", "forged_deep": "nested deeper than 32",
           "forged_int": "more than 20 digits", "forged_shape": "malformed array shape"}


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_hostile_answers_fail_the_call_as_the_students(sandbox_mode, warm):
    starter = ZygoteStart() if warm else None
    try:
        with Sandbox([("cell 1", HOSTILE_ANSWERS)], starter=starter) as sandbox:
            for name, reason in HOSTILE.items():
                with pytest.raises(StudentError, match=reason) as caught:
                    sandbox.call(name)
                assert caught.value.kind == "bad_value", name
                np.testing.assert_array_equal(sandbox.call("fine"), np.ones(3))   # still served
            assert sandbox.level.startswith(sandbox_mode)
    finally:
        if starter is not None:
            starter.close()


ATTACKS = {"deep.ipynb": (deep_json(100_000), "nested deeper than 64"),
           "deep.py": (TOO_DEEP["call chain"].encode(), "nested deeper than Python's compiler"),
           "locked.zip": (encrypted_zip(), "encrypted")}


def upload_all(root, tag):
    for name, (data, reason) in ATTACKS.items():
        path = root.parent / f"{tag}-{name}"
        path.write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", "ML06", str(path),
                               f"--student={tag}{name.replace('.', '_')}"], cwd=root,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert reason in done.stderr, name


@pytest.mark.slow
def test_cli_rejects_the_attacks_cold_and_warm(course_copy, warm_server):
    upload_all(course_copy, "cold")
    with warm_server(course_copy, "ML06"):
        upload_all(course_copy, "warm")


@pytest.mark.slow
def test_web_answers_422_naming_the_cap(course_copy):
    import httpx

    from tests.conftest import add_user, running_web
    with running_web(course_copy, workers=1) as server:
        for number, (name, (data, reason)) in enumerate(ATTACKS.items()):
            answer = httpx.post(f"{server.url}/api/assignments/ML06/attempts",
                                headers={"Authorization": f"Bearer "
                                         f"{add_user(course_copy, f'web{number}')}"},
                                files={"file": (name, data)}, timeout=120)
            assert answer.status_code == 422, (name, answer.text)
            assert answer.json()["status"] == "rejected" and reason in answer.json()["error"]


FORGED_NETWORK = """
import numpy as np
from sklearn.neural_network import MLPClassifier

class Wide(MLPClassifier):
    def fit(self, X, y):   # a forged answer could hold this: 2 000 000 numbers, within the cap
        self.coefs_ = [np.zeros((2, 499_000)), np.zeros((499_000, 1))]
        self.intercepts_ = [np.zeros(499_000), np.zeros(1)]
        self.classes_ = np.array([0, 1])
        return self

def make_xor_mlp():
    return Wide(hidden_layer_sizes=(499_000,))
"""


def test_student_weights_are_checked_before_they_meet_hidden_data(sandbox_mode, datasets):
    """X @ W + b with W (2, 499 000) would allocate 0.8 GB twice on the trusted side: the
    layer shapes are checked first, and the check fails as the student's."""
    import resource

    from tests.conftest import import_file
    from gradekit.grading.plugin import StudentProxy
    fits = import_file(REPO / "graders" / "ML06" / "sklearn_fits.py", "ml06_sklearn_fits_test")
    X, y = datasets["data_xor"]
    with Sandbox([("cell 1", FORGED_NETWORK)], call_timeout=60) as sandbox:
        with pytest.raises(pytest.fail.Exception, match="k <= 4096"):
            fits.accuracy_of_fits(StudentProxy(sandbox), "make_xor_mlp", (X, y), (X, y),
                                  seeds=(0,))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2 << 20   # KiB: under 2 GB


def test_receiving_places_odd_and_large_notebooks_without_our_failure(course_copy):
    """A lone surrogate escaped in the JSON, and 1900 cells: placed for nbgrader as a valid
    notebook that holds exactly what was uploaded."""
    from gradekit.attempts.receive import receive
    odd = notebook("s = 'X'", "t = 1").replace(b"X", rb"\ud800")
    for student, data in [("odd", odd), ("big", chained_experiments(1899))]:
        received = receive(Course(course_copy), "ML06", student, "a.ipynb", data)
        assert received.outcome is None, received.outcome
        placed = nbformat.read(course_copy / "submitted" / student / "ML06" / "ML06.ipynb", 4)
        nbformat.validate(placed)
        assert [c.source for c in placed.cells] == ["".join(c["source"])
                                                    for c in json.loads(data)["cells"]]
