"""The annotated library's format: a mutant is a frozen base plus a small override (no grading)."""
import ast

import pytest

from gradekit.course.layout import Course
from gradekit.grading.library import BASES, load_library, read_example

COURSE = Course(__file__.rsplit("/tests/", 1)[0])
GRADERS = COURSE.graders_dir("ML06")
MUTANTS = load_library(GRADERS, ("mutants",))
BASE_FILES = sorted((GRADERS / "mutants" / BASES).glob("*.py"))
# Names an override may add that its base does not define, {file name: {name}}, each with a
# comment saying why.  Anything else would be a helper no base calls: dead code, no mistake.
JUSTIFIED_EXTRAS = {}


def bindings(source):
    """{name: ast.dump} of what each top-level name is bound to last, imports included."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = ast.dump(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for name in (n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)):
                found[name] = ast.dump(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = ast.dump(node)
        else:   # a bare expression or a loop at top level: not an override
            found.setdefault("<statements>", []).append(ast.dump(node))
    return found


def imported(source):
    return {alias.asname or alias.name.split(".")[0] for node in ast.parse(source).body
            if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


def mutant_ids():
    return [pytest.param(e, id=e.path.stem) for e in MUTANTS]


def test_there_are_bases_and_each_is_used():
    assert [p.stem for p in BASE_FILES] == sorted({e.base for e in MUTANTS})


@pytest.mark.parametrize("base", BASE_FILES, ids=lambda p: p.stem)
def test_base_defines_the_whole_api(base):
    api = COURSE.loading_options("ML06")["api"]
    assert set(api) <= set(bindings(base.read_text(encoding="utf-8"))), base.name


@pytest.mark.parametrize("mutant", mutant_ids())
def test_mutant_is_a_small_override_of_its_base(mutant):
    override = mutant.path.read_text(encoding="utf-8")
    assert mutant.base_path in BASE_FILES
    base = bindings(mutant.base_path.read_text(encoding="utf-8"))
    own = bindings(override)
    assert "<statements>" not in own, "an override only (re)defines functions and names"
    defined = {name for name in own if name not in imported(override)}
    assert defined, "the override redefines nothing"
    extras = defined - set(base) - JUSTIFIED_EXTRAS.get(mutant.path.name, set())
    assert not extras, f"defines names its base does not: {sorted(extras)}"
    same = sorted(name for name in defined if own[name] == base.get(name))
    assert not same, f"copies of the base's definitions, not changes: {same}"
    used = {n.id for n in ast.walk(ast.parse(override)) if isinstance(n, ast.Name)}
    missing = (used & imported(mutant.base_path.read_text(encoding="utf-8"))) - imported(override)
    assert not missing, f"the override uses {sorted(missing)}: import them in it too"


@pytest.mark.parametrize("mutant", mutant_ids())
def test_composed_source_is_the_base_with_the_override_winning(mutant):
    base_text = mutant.base_path.read_text(encoding="utf-8")
    source = mutant.source()
    assert source.startswith(base_text) and source.endswith(mutant.path.read_text())
    base, final = bindings(base_text), bindings(source)
    changed = {name for name in final if final[name] != base.get(name)}
    assert changed, "the composed submission is the base itself"
    assert changed <= set(bindings(mutant.path.read_text(encoding="utf-8")))


def test_a_mutant_without_a_base_is_a_whole_file(tmp_path):
    path = tmp_path / "whole.py"
    path.write_text("# gradekit-mutant: whole\n# must-fail: loss\ndef loss(y, y_hat):\n"
                    "    return 1.0\n")
    assert read_example(path, "mutants").source() == path.read_text()


def test_variants_and_attacks_are_graded_as_they_are():
    for example in load_library(GRADERS, ("variants", "attacks")):
        assert example.base == "" and example.source() == example.path.read_text("utf-8")


@pytest.mark.parametrize("header, error", [
    ("# gradekit-mutant: a path\n# must-fail: loss\n# base: ../vectorised\n",
     "names a file NAME.py"),
    ("# gradekit-mutant: unknown base\n# must-fail: loss\n# base: nosuch\n", "no base"),
])
def test_a_named_base_must_exist(tmp_path, header, error):
    (tmp_path / BASES).mkdir()
    (tmp_path / BASES / "vectorised.py").write_text("def loss(y, y_hat):\n    return 0.0\n")
    path = tmp_path / "bad.py"
    path.write_text(header + "def loss(y, y_hat):\n    return 1.0\n")
    with pytest.raises(ValueError, match=error):
        read_example(path, "mutants")
