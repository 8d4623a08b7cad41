"""`gradekit similarity`: what it must see through, what it must ignore, and its contract.

Notebooks are the release with its solution cells filled from the reference and from the
library's variants (graders/ML06/variants), one function per cell; nothing is run.
"""
import ast
import builtins
import json
from pathlib import Path

import pytest

from gradekit.cli import main as cli_main
from gradekit.course.layout import Course

VARIANTS = ("column_vectors", "momentum", "online_sgd", "pure_python_loops", "python_lists",
            "scipy_expit", "stable_where_rand_init")


@pytest.fixture
def course(course_root, tmp_path, monkeypatch):
    """A private course (graders and release only): the command's cache goes there."""
    copy = Course(course_root).copy_to(tmp_path / "course", parts=("graders", "release"))
    monkeypatch.chdir(copy.root)
    return copy


def solution_cells(path):
    """{grade_id: source} of a solution file: each function (helpers in the cell of the
    function after them), and the answers."""
    text = Path(path).read_text()
    tree = ast.parse(text)
    cells, helpers = {}, ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
            helpers += ast.get_source_segment(text, node) + "\n\n\n"
        elif isinstance(node, ast.FunctionDef):
            cells[node.name], helpers = helpers + ast.get_source_segment(text, node), ""
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            grade_id = {"ANSWER_TASK1": "answer_task1", "ANSWER_TASK2": "answer_task2",
                        "ANSWER_TASK5": "answer_task5", "XOR_HIDDEN": "xor_hidden"}.get(name)
            if grade_id:
                cells[grade_id] = ast.get_source_segment(text, node)
    return cells


def notebook(course, cells, target, edit=None):
    """Write the release notebook with `cells` ({grade_id: source}) filled in; edit(nb)
    may change the notebook's JSON further.  Returns the path."""
    nb = json.loads((course.release_dir("ML06") / "ML06.ipynb").read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in cells:
            cell["source"] = cells[grade_id]
    if edit:
        edit(nb)
    target.write_text(json.dumps(nb))
    return target


def run(capsys, *args):
    """(exit code, stdout, stderr) of the command run in this process."""
    code = cli_main(["similarity", "ML06", *args])
    out, err = capsys.readouterr()
    return code, out, err


def scores_of(report):
    return {frozenset((p["a"], p["b"])): p["score"] for p in report["pairs"]}


@pytest.fixture
def class_files(course, course_root, tmp_path):
    """The reference and the variants as notebooks, two untouched releases."""
    folder = tmp_path / "class"
    folder.mkdir()
    files = [notebook(course, solution_cells(course_root / "reference/ML06/mlp.py"),
                      folder / "reference.ipynb")]
    for name in VARIANTS:
        files.append(notebook(course, solution_cells(
            course_root / f"graders/ML06/variants/{name}.py"), folder / f"{name}.ipynb"))
    for name in ("release_a", "release_b"):
        files.append(notebook(course, {}, folder / f"{name}.ipynb"))
    return files


KEPT_NAMES = set(dir(builtins)) | {"np", "math", "MLPClassifier", "sigmoid", "init_weights", "forward",
                                   "loss", "gradients", "train", "predict", "_with_bias"}


def rename_locals(source):
    """Every argument and local name of a function's source renamed consistently (helper
    functions' names too)."""
    tree = ast.parse(source)
    function = tree.body[0]
    for node in ast.walk(function):
        if isinstance(node, ast.arg):
            node.arg = "p_" + node.arg
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
            node.name = "p_" + node.name
        elif isinstance(node, ast.Name) and node.id not in KEPT_NAMES:
            node.id = "p_" + node.id
    return ast.unparse(tree)


def test_identical_is_one_release_is_zero_and_the_json_contract(course, class_files,
                                                                  capsys):
    twin = class_files[0].with_name("twin.ipynb")
    twin.write_bytes(class_files[0].read_bytes())
    code, out, err = run(capsys, "--json", "--all", "--top", "3", "--files",
                         *map(str, class_files + [twin]))
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"assignment", "pairs", "clusters"} and report["assignment"] == "ML06"
    n = len(class_files) + 1
    assert len(report["pairs"]) == n * (n - 1) // 2
    for pair in report["pairs"]:
        assert set(pair) == {"a", "b", "score", "cells", "evidence"}
        assert isinstance(pair["score"], float) and 0.0 <= pair["score"] <= 1.0
        assert all(set(c) == {"a_cell", "b_cell", "score"} for c in pair["cells"])
        assert all(isinstance(sentence, str) for sentence in pair["evidence"])
    listed = [p["score"] for p in report["pairs"]]
    assert listed == sorted(listed, reverse=True)
    # every pair is listed, but only the top 3 (and any scoring 0.8 or more) with evidence
    assert all(p["evidence"] for p in report["pairs"][:3])
    rest = [p for p in report["pairs"][3:] if p["score"] < 0.8]
    assert any(p["score"] > 0 for p in rest)
    assert all(p["cells"] == [] and p["evidence"] == [] for p in rest)
    assert all(isinstance(c, list) and len(c) >= 3 for c in report["clusters"])
    scores = scores_of(report)
    assert scores[frozenset(("reference", "twin"))] == 1.0
    top = report["pairs"][0]
    assert {top["a"], top["b"]} == {"reference", "twin"} and top["evidence"] and top["cells"]
    # the starter alone never scores: not between two releases, not against a solution
    for pair, score in scores.items():
        if pair & {"release_a", "release_b"}:
            assert score == 0.0, pair
    # independent solutions stay well below a copy
    assert max(s for p, s in scores.items() if p != frozenset(("reference", "twin"))) < 0.6


def test_renaming_and_reordering_do_not_lower_a_copys_score(course, course_root, class_files,
                                                           tmp_path, capsys):
    original = solution_cells(course_root / "graders/ML06/variants/pure_python_loops.py")
    renamed = {grade_id: "\n\n".join(rename_locals(ast.get_source_segment(source, f))
                                       for f in ast.parse(source).body)
               if source.startswith("def ") else source for grade_id, source in original.items()}
    functions = [g for g in renamed if renamed[g].startswith("def ")]
    # each function moves to another function's cell, the last to the first
    moved = dict(renamed, **{functions[k]: renamed[functions[k - 1]]
                             for k in range(len(functions))})
    exact = notebook(course, original, tmp_path / "exact.ipynb")
    disguised = notebook(course, moved, tmp_path / "disguised.ipynb")
    code, out, err = run(capsys, "--json", "--all", "--files",
                         *map(str, class_files + [exact, disguised]))
    assert code == 0, err
    scores = scores_of(json.loads(out))
    assert scores[frozenset(("pure_python_loops", "exact"))] == 1.0
    assert scores[frozenset(("pure_python_loops", "disguised"))] == 1.0


def test_one_function_copied_counts_as_much_as_few_others_wrote_it(course, course_root,
                                                                    class_files, tmp_path,
                                                                    capsys):
    source = solution_cells(course_root / "graders/ML06/variants/pure_python_loops.py")
    copied = rename_locals(source["gradients"])

    def with_copied_gradients(variant, name):
        own = solution_cells(course_root / f"graders/ML06/variants/{variant}.py")
        return notebook(course, dict(own, gradients=copied), tmp_path / f"{name}.ipynb")

    def score_of_copier(*others):
        files = class_files + [with_copied_gradients("column_vectors", "copier"), *others]
        code, out, err = run(capsys, "--json", "--all", "--files", *map(str, files))
        assert code == 0, err
        report = json.loads(out)
        return scores_of(report), report

    scores, report = score_of_copier()
    independent = [s for pair, s in scores.items() if "copier" not in pair]
    alone = scores[frozenset(("copier", "pure_python_loops"))]
    assert alone > max(independent)
    pair = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"copier", "pure_python_loops"})
    assert any(e.startswith("the score rests on one function: function `")   # the cell's
               and "(cell 17, " in e and "no other submission has" in e  # helper, copied too
               for e in pair["evidence"]), pair["evidence"]
    # the same function in three more notebooks: a common form, weaker evidence
    common, _ = score_of_copier(*(with_copied_gradients(v, f"also_{v}")
                                  for v in ("float32", "inplace_updates", "legacy_global_seed")))
    assert common[frozenset(("copier", "pure_python_loops"))] < alone - 0.1


def test_a_counting_while_is_its_for_loop_even_with_dead_code_between():
    from gradekit.similarity.parsing import parse_cell
    from gradekit.similarity.regions import cell_regions

    def tokens(source):
        return [r.tokens for r in cell_regions("cell", parse_cell(source))]

    loop = "def total(n):\n    s = 0\n    for i in range(n):\n        s += i * i\n    return s\n"
    spelled = ("def total(n):\n    s = 0\n    i = 0\n    unused = len(str(n))\n"
               "    print('debug')\n    while i < n:\n        s = s + i * i\n        i += 1\n"
               "    return s\n")
    assert tokens(spelled) == tokens(loop)
    # a while that is not a counting loop stays a while
    assert tokens(spelled.replace("i += 1", "i += 2")) != tokens(loop)


def test_a_notebook_that_does_not_parse_is_still_compared(course, course_root, class_files,
                                                         tmp_path, capsys):
    def break_one_cell(nb):
        cell = next(c for c in nb["cells"]
                    if c["metadata"].get("nbgrader", {}).get("grade_id") == "train")
        cell["source"] += "\n    for epoch in range(:\n"   # a syntax error in one cell
    broken = notebook(course, solution_cells(course_root / "reference/ML06/mlp.py"),
                      tmp_path / "broken.ipynb", edit=break_one_cell)
    code, out, err = run(capsys, "--json", "--all", "--files", *map(str, class_files + [broken]))
    assert code == 0, err
    report = json.loads(out)
    scores = scores_of(report)
    assert scores[frozenset(("reference", "broken"))] > 0.8
    pair = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"reference", "broken"})
    assert {"a_cell": "cell 19", "b_cell": "cell 19"}.items() <= next(
        c for c in pair["cells"] if c["a_cell"] == "cell 19").items()


def test_text_mode_ranks_and_default_shows_the_top_pairs(course, class_files, capsys):
    code, out, err = run(capsys, "--top", "3", "--files", *map(str, class_files))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"ML06: {len(class_files)} students")
    assert [line.split()[0] for line in lines if line[:4].strip().isdigit()] == ["1", "2", "3"]


@pytest.mark.parametrize("name, data, message", [
    ("notes.txt", b"hello", "unsupported file type"),
    ("broken.ipynb", b"{not json", "not valid JSON"),
    ("empty.py", b"", "file is empty"),
])
def test_a_bad_file_is_one_line_and_exit_2(course, class_files, tmp_path, capsys, name, data,
                                          message):
    bad = tmp_path / name
    bad.write_bytes(data)
    code, out, err = run(capsys, "--files", str(class_files[0]), str(bad))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


def test_missing_file_and_duplicate_names_are_usage_errors(course, class_files, tmp_path,
                                                           capsys):
    code, _, err = run(capsys, "--files", str(class_files[0]), str(tmp_path / "absent.py"))
    assert code == 2 and "no such file" in err and len(err.strip().splitlines()) == 1
    other = tmp_path / "reference.py"
    other.write_text("x = 1\n")
    code, _, err = run(capsys, "--files", str(class_files[0]), str(other))
    assert code == 2 and "rename one" in err


def test_fingerprints_are_cached_per_file(course, class_files, tmp_path, capsys):
    assert run(capsys, "--files", *map(str, class_files[:4]))[0] == 0
    cache = course.root / ".gradekit" / "similarity"
    assert len(list(cache.glob("*.json"))) == 4
    assert run(capsys, "--files", *map(str, class_files[:5]))[0] == 0
    assert len(list(cache.glob("*.json"))) == 5   # one new file, one new document


def test_course_mode_compares_counted_attempts_with_grading_evidence(course, class_files,
                                                                     capsys):
    """uploads/<student>/ML06/ as attempts/receive.py and record.py leave it: the attempts log, the
    counted attempt, the archive and its report."""
    failure = {"name": "test_gradients", "status": "failed", "output": "dW1[0, 2] = 0.4137"}
    for student, source, failed in (("ann", class_files[0], [failure]),
                                    ("bob", class_files[0], [failure]),
                                    ("cyd", class_files[1], [])):
        folder = course.root / "uploads" / student / "ML06"
        folder.mkdir(parents=True)
        for attempt, data in ((1, b"{broken"), (2, source.read_bytes())):
            archive = f"2026010{attempt}T000000.000000Z-{attempt:012d}.ipynb"
            (folder / archive).write_bytes(data)
            with open(folder / "attempts.jsonl", "a") as log:
                log.write(json.dumps({"event": "received", "attempt": attempt,
                                      "filename": "ML06.ipynb", "archive": archive}) + "\n")
        (folder / archive.replace(".ipynb", ".report.json")).write_text(
            json.dumps({"tests": failed}))
        (folder / "counted.json").write_text(json.dumps({"attempt": 2, "score": 5.0}))
    code, out, err = run(capsys, "--json")
    assert code == 0, err
    report = json.loads(out)
    first = report["pairs"][0]
    assert {first["a"], first["b"]} == {"ann", "bob"} and first["score"] == 1.0
    assert any("the same failure of test_gradients" in s for s in first["evidence"])
    assert len(report["pairs"]) == 3


def test_the_same_free_text_answer_is_evidence(course, course_root, class_files, tmp_path,
                                               capsys):
    answer = ("Two sigmoid hidden units, because the red points lie between two parallel "
              "lines, and one sigmoid output that ANDs the two half-planes.")

    def answered(nb):
        cell = next(c for c in nb["cells"]
                    if c["metadata"].get("nbgrader", {}).get("grade_id") == "task3_architecture")
        cell["source"] = answer

    files = [notebook(course, solution_cells(
        course_root / f"graders/ML06/variants/{name}.py"), tmp_path / f"{name}_answer.ipynb",
        edit=answered) for name in ("momentum", "python_lists")]
    code, out, err = run(capsys, "--json", "--all", "--files", *map(str, class_files + files))
    assert code == 0, err
    pair = next(p for p in json.loads(out)["pairs"]
                if {p["a"], p["b"]} == {"momentum_answer", "python_lists_answer"})
    assert any(s.startswith("identical free-text answer in markdown") and "parallel" in s
               for s in pair["evidence"])
    assert {"a_cell": "markdown 5", "b_cell": "markdown 5", "score": 1.0} in pair["cells"]


def test_side_by_side_aligns_the_matched_functions(course, course_root, tmp_path):
    """What a page showing two notebooks needs: matched passages, cell and lines each side."""
    from gradekit.similarity import Comparison, load_document, side_by_side
    from gradekit.similarity.sources import starter_of
    cells = solution_cells(course_root / "reference/ML06/mlp.py")
    moved = dict(cells, gradients=cells["train"], train=cells["gradients"])
    starter = starter_of(course, "ML06")
    documents = {}
    for name, content in (("a", cells), ("b", moved)):
        path = notebook(course, content, tmp_path / f"{name}.ipynb")
        documents[name] = load_document(path.name, path.read_bytes(), starter)
    passages = side_by_side(Comparison(documents, starter.fingerprints()), "a", "b")
    gradients = next(p for p in passages if p["a_function"] == "gradients")
    assert gradients["b_function"] == "gradients" and gradients["a_cell"] == "cell 17"
    assert gradients["b_cell"] == "cell 19"   # where b put it
    assert gradients["a_lines"] == gradients["b_lines"] and len(gradients["a_lines"]) > 5
    assert [p["weight"] for p in passages] == sorted((p["weight"] for p in passages),
                                                     reverse=True)


def test_histogram_bins_every_pairs_score(course, class_files):
    """The instructor pages' histogram: every pair once, in bins 0.05 wide from 0 to 1."""
    from gradekit.similarity import Comparison, histogram, load_document
    from gradekit.similarity.sources import starter_of
    starter = starter_of(course, "ML06")
    files = class_files + [class_files[0]]   # the reference twice: one pair scores 1.0
    documents = {f"{k}_{path.stem}": load_document(path.name, path.read_bytes(), starter)
                 for k, path in enumerate(files)}
    comparison = Comparison(documents, starter.fingerprints())
    bins = comparison.histogram()
    n = len(files)
    assert len(bins) == 20 and bins[0]["low"] == 0.0 and bins[-1]["high"] == 1.0
    assert sum(b["count"] for b in bins) == n * (n - 1) // 2
    assert bins[-1]["count"] >= 1                  # the twins
    assert bins[0]["count"] >= 2 * (n - 2) - 1    # each release scores 0 with everyone
    scores = [s for s, _, _ in comparison.ranked()]
    for b in bins:
        assert b["count"] == sum(b["low"] <= s < b["high"] or s == b["high"] == 1.0
                                 for s in scores)
    assert histogram([0.0, 0.05, 1.0], bins=2) == [{"low": 0.0, "high": 0.5, "count": 2},
                                                   {"low": 0.5, "high": 1.0, "count": 1}]
    assert histogram([0.15])[3] == {"low": 0.15, "high": 0.2, "count": 1}   # not 0.1-0.15


def test_the_same_unusual_failures_raise_a_pair_whose_code_is_alike(course, class_files):
    """Behavioural evidence adds to what the code shows, never much, never alone."""
    from gradekit.similarity import Comparison, compare, load_document
    from gradekit.similarity.sources import starter_of
    starter = starter_of(course, "ML06")
    documents = {path.stem: load_document(path.name, path.read_bytes(), starter)
                 for path in class_files}
    odd = ("test_gradients", "dW1[0, 2] = 0.4137, expected 0.2069")
    behaviour = {student: {("test_train", "loss did not fall below 0.1")}   # the whole
                 for student in documents}                                  # class's slip
    behaviour["momentum"] |= {odd}
    behaviour["online_sgd"] |= {odd}
    behaviour["release_a"] |= {("test_loss", "loss(...) = 7.0")}   # starter code alone:
    behaviour["release_b"] |= {("test_loss", "loss(...) = 7.0")}   # nothing to raise
    code = Comparison(documents, starter.fingerprints())
    lifted = Comparison(documents, starter.fingerprints(), behaviour)
    ids = code.ids
    pair = ids.index("momentum"), ids.index("online_sgd")
    before, after = code.score(*pair), lifted.score(*pair)
    assert 0 < before < after <= before + 0.15
    releases = ids.index("release_a"), ids.index("release_b")
    assert lifted.score(*releases) == 0.0
    changed = {(i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))
               if lifted.score(i, j) != code.score(i, j)}
    assert changed == {tuple(sorted(pair))}   # a failure everyone has lifts no one
    report = compare("ML06", documents, starter.fingerprints(), behaviour=behaviour)
    evidence = next(p["evidence"] for p in report["pairs"]
                    if {p["a"], p["b"]} == {"momentum", "online_sgd"})
    assert f"raise the score from {before:.2f} (the code alone) to {after:.2f}" \
        in " ".join(evidence)
    assert any("the same failure of test_gradients (2 of 10 students" in s for s in evidence)


def test_a_notebooks_own_copies_do_not_make_its_functions_common(course, course_root,
                                                                 class_files, tmp_path):
    """Copies of a whole notebook are one author: a function copied from it stays rare."""
    from gradekit.similarity import Comparison, load_document
    from gradekit.similarity.sources import starter_of
    starter = starter_of(course, "ML06")
    source = solution_cells(course_root / "graders/ML06/variants/pure_python_loops.py")
    own = solution_cells(course_root / "graders/ML06/variants/column_vectors.py")
    copier = notebook(course, dict(own, gradients=rename_locals(source["gradients"])),
                      tmp_path / "copier.ipynb")
    twins = [notebook(course, {grade_id: text + "\n" * k for grade_id, text in source.items()},
                      tmp_path / f"twin_{k}.ipynb") for k in (1, 2)]

    def score(files):
        documents = {p.stem: load_document(p.name, p.read_bytes(), starter) for p in files}
        comparison = Comparison(documents, starter.fingerprints())
        ids = comparison.ids
        return comparison, comparison.score(ids.index("copier"), ids.index("pure_python_loops"))

    _, alone = score(class_files + [copier])
    comparison, with_twins = score(class_files + [copier] + twins)
    ids = comparison.ids
    assert comparison.score(ids.index("twin_1"), ids.index("pure_python_loops")) == 1.0
    assert alone > 0.5 and with_twins >= alone - 0.02
    # ... while other authors writing that function alike make it a common form
    _, others = score(class_files + [copier] + [
        notebook(course, dict(solution_cells(course_root / f"graders/ML06/variants/{v}.py"),
                              gradients=rename_locals(source["gradients"])),
                 tmp_path / f"also_{v}.ipynb") for v in ("float32", "inplace_updates")])
    assert others < alone - 0.05


def test_short_functions_written_alike_stay_low(course, course_root, tmp_path):
    """The reference's sigmoid, loss and MLPClassifier call in two otherwise independent
    notebooks (and no other): short forms students converge on, not a copy."""
    from gradekit.similarity import Comparison, load_document
    from gradekit.similarity.sources import starter_of
    starter = starter_of(course, "ML06")
    reference = solution_cells(course_root / "reference/ML06/mlp.py")
    short = {name: reference[name] for name in ("sigmoid", "loss", "make_mlp_221")}

    def score(alike):
        documents = {}
        for variant in VARIANTS:
            cells = solution_cells(course_root / f"graders/ML06/variants/{variant}.py")
            path = notebook(course, dict(cells, **short) if variant in alike else cells,
                            tmp_path / f"{variant}.ipynb")
            documents[variant] = load_document(path.name, path.read_bytes(), starter)
        comparison = Comparison(documents, starter.fingerprints())
        ids = comparison.ids
        return comparison.score(ids.index("momentum"), ids.index("online_sgd"))

    apart, alike = score(()), score(("momentum", "online_sgd"))
    assert alike < 0.4 and alike - apart < 0.2, (apart, alike)
