"""The loader: notebooks, scripts and zips become code units; bad files get one-line reasons."""
import io
import json
import zipfile

import nbformat
import pytest

from gradekit.submissions.load import Rejected, load_bytes, script_units, strip_magics
from tests.helpers import zipped

pytestmark = pytest.mark.smoke

HELPERS = ("ml06_utils.py",)


def notebook_bytes(*sources, version=4):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    return nbformat.writes(notebook).encode()


def test_script_is_split_into_top_level_statements():
    units = script_units("import numpy as np\n\n@decorate\ndef f():\n    return 1\nx = f()\n")
    assert [unit.label for unit in units] == ["line 1", "line 3", "line 6"]
    assert units[1].source.splitlines()[0] == "@decorate" and units[1].line == 3


def test_syntax_error_is_isolated_to_its_block():
    units = script_units("def good():\n    return 1\n\ndef bad(:\n    pass\n\ndef also_good():\n    return 2\n")
    compiled = []
    for label, source, line in units:
        try:
            compile("\n" * (line - 1) + source, label, "exec")
            compiled.append(label)
        except SyntaxError:
            pass
    assert compiled == ["line 1", "line 7"]


def test_magics_and_shell_lines_become_no_ops():
    code = strip_magics("%matplotlib inline\n!pip install x\nimport math\nif True:\n    %time f()\n")
    compile(code, "cell", "exec")
    assert "import math" in code
    assert strip_magics("%%bash\necho hi\n") == ""
    assert strip_magics("%%time\nx = 1\n") == "x = 1"


def test_notebook_cells_in_order_without_grade_cells():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("assert a == 1", metadata={
            "nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}}),
        nbformat.v4.new_code_cell("b = 2")])
    submission = load_bytes("ML06.ipynb", nbformat.writes(notebook).encode())
    assert submission.kind == "ipynb"
    assert submission.units == [("cell 1", "a = 1", 1), ("cell 3", "b = 2", 1)]


def test_nbformat_3_is_converted():
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "x = 1", "language": "python", "outputs": [],
         "metadata": {}}], "metadata": {}}]}
    assert load_bytes("old.ipynb", json.dumps(v3).encode()).units == [("cell 1", "x = 1", 1)]


BAD_INPUTS = [
    ("a.py", b"", "empty"),
    ("a.py", b"   \n", "empty"),
    ("a.ipynb", b"\x00\xff\xfe garbage", "not UTF-8"),
    ("a.ipynb", b'{"a": 1}', "not a Jupyter notebook"),
    ("a.ipynb", notebook_bytes("x = 1")[:-40], "not valid JSON"),
    ("a.ipynb", b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"x": 1}]}',
     "not a valid notebook"),
    ("a.py", "x = 'é'".encode("latin-1"), "not UTF-8"),
    ("a.txt", b"x = 1", "unsupported file type"),
    ("a.zip", b"PK\x03\x04 not really", "not a valid zip"),
    ("a.zip", zipped({"../evil.py": "x = 1"}), "outside the archive"),
    ("a.zip", zipped({"/etc/evil.py": "x = 1"}), "outside the archive"),
    ("a.zip", zipped({"ok.py": "x = 1"}, symlink="link.py"), "symbolic link"),
    ("a.zip", zipped({"a.py": "x = 1", "b.py": "y = 2"}), "several candidate solutions"),
    ("a.zip", zipped({"readme.txt": "hi", "ml06_utils.py": "x = 1"}), "no .ipynb or .py"),
    ("a.zip", zipped({"big.py": "#" * (6 << 20)}), "larger than"),
]


# ids from the reasons: the zips' bytes carry timestamps, and xdist workers must agree on ids
@pytest.mark.parametrize("filename, data, reason", BAD_INPUTS,
                         ids=[f"{n}-{r.replace(' ', '_')}" for n, (_, _, r) in enumerate(BAD_INPUTS)])
def test_bad_input_is_rejected_with_a_reason(filename, data, reason):
    with pytest.raises(Rejected, match=reason):
        load_bytes(filename, data, helpers=HELPERS)


def test_zip_bomb_stops_at_the_cap():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.py", b"#" * (200 << 20))   # 200 MB that compress to ~200 kB
    with pytest.raises(Rejected, match="larger than"):
        load_bytes("bomb.zip", buffer.getvalue())


def test_zip_prefers_the_notebook_and_ignores_release_helpers():
    data = zipped({"ML06/ML06.ipynb": notebook_bytes("x = 1"), "ML06/ml06_utils.py": "y = 2",
                      "ML06/data_1.csv": "x1,x2,y\n", "__MACOSX/._ML06.ipynb": "junk"})
    submission = load_bytes("upload.zip", data, helpers=HELPERS)
    assert (submission.filename, submission.units) == ("ML06.ipynb", [("cell 1", "x = 1", 1)])


def test_experiment_cells_are_skipped_only_when_nothing_needs_them():
    def cell(source, grade_id):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
            "solution": True, "grade": False, "grade_id": grade_id}})
    notebook = nbformat.v4.new_notebook(cells=[
        cell("import numpy as np\nX = np.zeros((3, 2))", "setup"),
        cell("W, losses = train(X)\nplot(losses)", "plot_only"),              # skipped
        cell("ALPHA = 0.5\nprint(ALPHA)", "sets_alpha"),                      # read below: runs
        cell("def train(X, alpha=ALPHA):\n    return X, []", "train"),
        cell("def predict(X):\n    return X", "defines_in_experiment"),      # defines: runs
        cell("np.random.seed = None", "mutates_module"),                     # mutation: runs
        cell("XOR_HIDDEN = 4", "api_in_experiment"),                          # API name: runs
        cell("curve = [1, 2]\n", "chain_a"),                                  # only chain_b
        cell("plot(curve)", "chain_b"),                                       # reads it: both go
    ])
    experiments = ("plot_only", "sets_alpha", "defines_in_experiment", "mutates_module",
                   "api_in_experiment", "chain_a", "chain_b")
    submission = load_bytes("a.ipynb", nbformat.writes(notebook).encode(),
                            experiments=experiments, api=("XOR_HIDDEN", "train", "predict"))
    assert [unit.label for unit in submission.units] == [
        "cell 1", "cell 3", "cell 4", "cell 5", "cell 6", "cell 7"]
