"""No import circles in the gradekit package.

Every `import` and `from ... import` statement counts, also those inside functions (a lazy
import hides a circle from Python, not from the reader).  Relative imports are resolved;
the scripts that run inside the sandbox (child.py, zygote.py, codec.py, confine.py) import
their siblings by bare name (`import codec`), which resolves to the sibling module.
"""
import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke

REPO = Path(__file__).resolve().parents[2]
SANDBOX_SCRIPTS = {"child", "zygote", "codec", "confine"}   # run as scripts, `import codec`


def modules(package_dir):
    """{dotted module name: path} of every .py file of the package (packages as __init__)."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name, path, known):
    """The package's modules that module `name` (file `path`) imports, anywhere in the file."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    script = path.stem in SANDBOX_SCRIPTS and not is_package
    targets = set()

    def add(dotted, names=()):
        if dotted in known:
            # `from pkg import mod` names the module pkg.mod; `from mod import f` names mod
            subs = [f"{dotted}.{n}" for n in names if f"{dotted}.{n}" in known]
            targets.update(subs or [dotted])
            if len(subs) < len(names):
                targets.add(dotted)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if script and f"{package}.{alias.name}" in known:
                    add(f"{package}.{alias.name}")   # a sandbox script's sibling
                else:
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                dotted = ".".join(base + ([node.module] if node.module else []))
            elif script and f"{package}.{node.module}" in known:
                dotted = f"{package}.{node.module}"
            else:
                dotted = node.module
            add(dotted, [a.name for a in node.names])
    targets.discard(name)
    return targets


def import_graph(package_dir):
    known = modules(package_dir)
    return {name: imported(name, path, set(known)) for name, path in known.items()}


def cycles(graph):
    """One import chain per circle, e.g. ['a', 'b', 'a'] (Tarjan's strongly connected parts)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.add(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(chain(graph, part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def chain(graph, part):
    """A shortest circle through the first module of `part`, as a list of module names."""
    start = min(part)
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(graph[path[-1]] & part):
            if target == start:
                return path + [start]
            if target not in seen:
                seen.add(target)
                paths.append(path + [target])
    raise AssertionError(part)


def test_gradekit_has_no_import_circles():
    found = cycles(import_graph(REPO / "gradekit"))
    assert not found, "import circles: " + "; ".join(" -> ".join(c) for c in found)


def test_the_walker_sees_lazy_relative_and_sibling_imports(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("import os\nfrom .sub import b\n")
    (package / "sub" / "__init__.py").write_text("from . import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (package / "c.py").write_text("import pkg.a\ng = 1\n")
    (package / "sub" / "codec.py").write_text("x = 1\n")
    (package / "sub" / "child.py").write_text("import codec\nfrom codec import x\n")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"} and graph["pkg.sub"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.c"} and graph["pkg.sub.child"] == {"pkg.sub.codec"}
    assert cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.c", "pkg.a"]]


def test_the_real_graph_is_walked():
    graph = import_graph(REPO / "gradekit")
    child = graph["gradekit.sandbox.inside.child"]
    assert "gradekit.sandbox.inside.codec" in child   # `import codec`
    assert "gradekit.sandbox.client" in graph["gradekit.sandbox"]
    assert "gradekit.grading.run" in graph["gradekit.grading.pool"]     # inside a function
