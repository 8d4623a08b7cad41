"""The instructor notebook runs clean; the student release fails only where stubs are missing."""
import ast
import re

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow
NAME_ERROR = re.compile(r"name '(\w+)' is not defined")


def execute(path, allow_errors, monkeypatch):
    """Run the notebook at path top to bottom in its folder; returns the executed notebook."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")   # keep __pycache__ out of source/
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def streams(cell, name):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == name)


def bound_names(source):
    """Names a cell binds in the notebook namespace (not inside function bodies)."""
    names, todo = set(), list(ast.parse(source).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        todo.extend(ast.iter_child_nodes(node))
    return names


def code_source(cell):
    """Cell source without IPython magics, so that ast can parse it."""
    return "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))


def test_source_notebook_runs_clean(course_root, monkeypatch):
    """No errors anywhere; every public test prints an OK line and nothing on stderr."""
    nb = execute(course_root / "source" / "ML06" / "ML06.ipynb", False, monkeypatch)
    tests = [c for c in nb.cells if c.cell_type == "code" and nbgrader(c).get("grade")]
    assert len(tests) == 10
    for cell in tests:
        assert streams(cell, "stderr") == "", cell.id
        assert streams(cell, "stdout").startswith("OK"), cell.id


def test_release_notebook_fails_only_at_stubs(course_root, monkeypatch):
    """Strict: an error is allowed only as NotImplementedError (raised by a stub, directly or
    through a public test calling it) or as NameError for a name that the source notebook's
    solution code binds and the released stub does not; ready-made cells never fail."""
    source = {c.id: c for c in nbformat.read(course_root / "source" / "ML06" / "ML06.ipynb",
                                             as_version=4).cells}
    nb = execute(course_root / "release" / "ML06" / "ML06.ipynb", True, monkeypatch)
    stubbed = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and nbgrader(cell).get("solution"):
            stubbed |= bound_names(code_source(source[cell.id])) - bound_names(code_source(cell))
    failures = 0
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        meta = nbgrader(cell)
        if not (meta.get("solution") or meta.get("grade")):
            assert not errors, f"ready-made cell {cell.id} failed: {errors}"
        for error in errors:
            failures += 1
            if error.ename == "NameError":
                assert NAME_ERROR.match(error.evalue).group(1) in stubbed, (cell.id, error.evalue)
            else:
                assert error.ename == "NotImplementedError", (cell.id, error.ename, error.evalue)
        top_level_stub = any(isinstance(node, ast.Raise) for node in ast.parse(code_source(cell)).body)
        if meta.get("solution") and top_level_stub:
            assert [e.ename for e in errors] == ["NotImplementedError"], f"stub {cell.id} did not raise"
    assert failures > 0
