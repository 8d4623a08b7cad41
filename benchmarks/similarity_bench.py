"""How well `gradekit similarity` tells copies from independent work, and how fast it is.

    python benchmarks/similarity_bench.py [--students 40] [--copies 5] [--speed 500]

Builds a class of independent ML06 notebooks (benchmarks/similarity_solutions.py: styles
the tests never saw) and copies of some of them disguised at growing levels, each level
adding to the ones before it:
  1 comments and formatting   2 consistent renaming     3 reordered functions and cells
  4 dead code and prints      5 equivalent rewrites     6 a function rewritten loops <->
  vectorised                  7 (alone) only one function copied into one's own work.
Per level: ROC-AUC of copied pairs against independent pairs and precision among the top
pairs (as many as there are copies), for gradekit and for copydetect (release as
boilerplate; skipped with a message when it is not installed).  Then the speed of the
command on --speed notebooks, cold and with its cache.  Raw figures go to
benchmarks/results/similarity.json.
"""
import argparse
import ast
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from similarity_solutions import ANSWER_PHRASES, DEMOS, FUNCTIONS  # noqa: E402

from gradekit.course import Course  # noqa: E402
from gradekit.similarity import compare, load_document  # noqa: E402
from gradekit.similarity_command import starter_of  # noqa: E402

LEVELS = {1: "comments, formatting", 2: "+ renaming", 3: "+ reordering", 4: "+ dead code",
          5: "+ rewrites", 6: "+ loop<->vectorised", 7: "one function only"}
KEEP = set(FUNCTIONS) | {"X", "y", "X_xor", "y_xor", "np", "MLPClassifier", "warnings",
                         "ConvergenceWarning", "load_data", "plot_data", "plot_losses",
                         "plot_xy_2D_model", "plot_hidden_representation", "_with_bias",
                         "XOR_HIDDEN", "ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5",
                         "Trainer", "self", "print", "range", "len", "zip", "float", "int",
                         "abs", "dict", "bool", "round", "str"}
CONVENTIONS = [lambda n: n, lambda n: "my_" + n, lambda n: n + "_",
               lambda n: "".join(p.capitalize() if i else p
                                 for i, p in enumerate(n.split("_"))) or n,
               lambda n: {"W1": "vahy1", "w2": "vahy2", "losses": "ztraty", "alpha": "alfa",
                          "Z": "skryta"}.get(n, "v_" + n)]


def student(rng, convention=None):
    """{grade_id: source} of one independent student."""
    cells = {name: rng.choice(variants) for name, variants in FUNCTIONS.items()}
    cells = {name: drop_optional(src, rng) for name, src in cells.items()}
    cells.update({cell: rng.choice(options) for cell, options in DEMOS.items()})
    for cell, phrases in ANSWER_PHRASES.items():
        cells[cell] = " ".join(rng.sample(phrases, rng.randint(2, 3)))
    rename_all(cells, convention or rng.choice(CONVENTIONS))
    return cells


def drop_optional(source, rng):
    return "\n".join(line for line in source.splitlines()
                     if not line.rstrip().endswith("#?") or rng.random() < 0.5) + "\n"


def is_code(cell):
    return cell not in ANSWER_PHRASES


def rename_all(cells, convention):
    for cell in [c for c in cells if is_code(c)]:
        tree = ast.parse(cells[cell])
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in KEEP:
                node.id = convention(node.id)
            elif isinstance(node, ast.arg) and node.arg not in KEEP:
                node.arg = convention(node.arg)
        cells[cell] = ast.unparse(tree)


def reformat(cells, rng):
    """Comments on some lines, blank lines between others."""
    for cell in [c for c in cells if is_code(c)]:
        out = []
        for line in cells[cell].splitlines():
            indent = line[:len(line) - len(line.lstrip())]
            if rng.random() < 0.3:
                out.append(f"{indent}# {rng.choice(['compute', 'update', 'helper', 'todo'])}")
            out.append(line + ("  # ok" if rng.random() < 0.2 else ""))
            if rng.random() < 0.15 and not line.rstrip().endswith(":"):
                out.append("")
        cells[cell] = "\n".join(out)


def reorder(cells, rng):
    """The function cells' contents permuted among themselves."""
    names = [c for c in FUNCTIONS if c in cells]
    contents = [cells[c] for c in names]
    rng.shuffle(contents)
    cells.update(zip(names, contents))


class DeadCode(ast.NodeTransformer):
    def __init__(self, rng):
        self.rng, self.count = rng, 0

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        body = []
        for statement in node.body:
            if self.rng.random() < 0.4 and not isinstance(statement, ast.Return):
                self.count += 1
                body.append(ast.parse(self.rng.choice([
                    f"unused_{self.count} = {self.count} * 0",
                    f"print('debug {self.count}')",
                    f"tmp_{self.count} = len(str({self.count}))"])).body[0])
            body.append(statement)
        node.body = body
        return node


class Rewrite(ast.NodeTransformer):
    """a @ b -> np.dot(a, b); x = x + e -> x += e; np.sum(a) / np.mean(a) -> a.sum() ..."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.MatMult):
            return ast.Call(ast.Attribute(ast.Name("np", ast.Load()), "dot", ast.Load()),
                            [node.left, node.right], [])
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        value = node.value
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(value, ast.BinOp) and isinstance(value.left, ast.Name) \
                and value.left.id == node.targets[0].id:
            return ast.AugAssign(node.targets[0], value.op, value.right)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "np" and func.attr in ("sum", "mean") \
                and len(node.args) == 1:
            return ast.Call(ast.Attribute(node.args[0], func.attr, ast.Load()), [],
                            node.keywords)
        return node


def transform(cells, transformer):
    for cell in [c for c in cells if is_code(c)]:
        cells[cell] = ast.unparse(ast.fix_missing_locations(transformer.visit(
            ast.parse(cells[cell]))))


def disguise(original, level, rng, picks):
    """A copy of `original` ({grade_id: source}, before renaming) disguised at `level`."""
    cells = dict(original)
    if level >= 6:   # one function re-implemented in another style (loops <-> vectorised)
        name = rng.choice(["forward", "gradients", "loss"])
        cells[name] = rng.choice([v for v in FUNCTIONS[name] if v != picks[name]])
    if level >= 5:
        transform(cells, Rewrite())
    if level >= 4:
        transform(cells, DeadCode(rng))
    if level >= 2:
        rename_all(cells, lambda n: "q" + n.lower())
    if level >= 3:
        reorder(cells, rng)
    reformat(cells, rng)
    return cells


def notebook(cells, release):
    """The release notebook with these solution cells filled in (JSON text)."""
    nb = json.loads(release)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in cells:
            cell["source"] = cells[grade_id]
        elif grade_id == "train" and "Trainer" in cells.get("train", ""):
            pass
    return json.dumps(nb, indent=1)


def build_class(folder, release, n_students, copies, seed=0):
    """Write the class; returns (independent ids, {level: [(source id, copy id)]})."""
    rng = random.Random(seed)
    originals, picks = {}, {}
    for number in range(n_students):
        state = random.Random(seed * 1000 + number)
        chosen = {name: state.choice(variants) for name, variants in FUNCTIONS.items()}
        picks[f"s{number:03d}"] = chosen
        originals[f"s{number:03d}"] = student(random.Random(seed * 1000 + number))
    for sid, cells in originals.items():
        (folder / f"{sid}.ipynb").write_text(notebook(cells, release))
    positives = {}
    for level in LEVELS:
        positives[level] = []
        for k, sid in enumerate(rng.sample(sorted(originals), copies)):
            copy_id = f"c{level}_{k}_{sid}"
            raw = unrenamed(sid, seed, n_students)
            if level == 7:
                cells = student(random.Random(f"{seed}-own-{level}-{k}"))
                stolen = {"gradients": raw["gradients"]}
                rename_all(stolen, lambda n: "z" + n)
                cells["gradients"] = stolen["gradients"]
            else:
                cells = disguise(raw, level, random.Random(f"{seed}-{level}-{k}"), picks[sid])
            (folder / f"{copy_id}.ipynb").write_text(notebook(cells, release))
            positives[level].append((sid, copy_id))
    return sorted(originals), positives


def unrenamed(sid, seed, n_students):
    """The student's cells as they chose them, in their own naming (for copying)."""
    return student(random.Random(seed * 1000 + int(sid[1:])))


def gradekit_scores(folder, course):
    starter = starter_of(course, "ML06")
    documents = {p.stem: load_document(p.name, p.read_bytes(), starter)
                 for p in sorted(folder.glob("*.ipynb"))}
    report = compare("ML06", documents, starter.fingerprints())
    return {frozenset((p["a"], p["b"])): p["score"] for p in report["pairs"]}


def copydetect_scores(folder, release):
    try:
        from copydetect import CopyDetector
    except ImportError:
        print("copydetect is not installed (pip install copydetect): its column is left out")
        return None
    code_dir, boiler = folder / "copydetect", folder / "boilerplate"
    code_dir.mkdir()
    boiler.mkdir()
    for path in sorted(folder.glob("*.ipynb")):
        (code_dir / f"{path.stem}.py").write_text(code_of(path.read_text()))
    (boiler / "release.py").write_text(code_of(release))
    detector = CopyDetector(test_dirs=[str(code_dir)], boilerplate_dirs=[str(boiler)],
                            extensions=["py"], display_t=0.0, silent=True, autoopen=False,
                            noise_t=10, guarantee_t=10)
    detector.run()
    names = [Path(f).stem for f in detector.test_files]
    matrix = detector.similarity_matrix
    return {frozenset((names[i], names[j])): float(max(matrix[i, j, 0], matrix[j, i, 0]))
            for i in range(len(names)) for j in range(i + 1, len(names))}


def code_of(notebook_text):
    cells = json.loads(notebook_text)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def auc(positive, negative):
    """ROC-AUC: the chance a copied pair outscores an independent one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def precision_at(positive, negative):
    """Share of copied pairs among the top len(positive) pairs (ties: pessimistic)."""
    ranked = sorted([(s, 0) for s in positive] + [(s, 1) for s in negative],
                    key=lambda t: (-t[0], -t[1]))
    return sum(1 for _, negative_ in ranked[:len(positive)] if not negative_) / len(positive)


def evaluate(scores, independent, positives):
    negative = [scores[frozenset((a, b))] for k, a in enumerate(independent)
                for b in independent[k + 1:]]
    rows = {}
    for level, pairs in positives.items():
        positive = [scores[frozenset(p)] for p in pairs]
        rows[level] = {"auc": round(auc(positive, negative), 4),
                       "precision_top": round(precision_at(positive, negative), 4),
                       "copied_min": round(min(positive), 4),
                       "independent_max": round(max(negative), 4)}
    return rows


def speed(course, release, count):
    """Seconds of `gradekit similarity ML06 --files ... --all --json` on `count` notebooks
    on one core: cold (empty cache) and warm (every file fingerprinted before)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = course.copy_to(Path(tmp) / "course")
        folder = Path(tmp) / "class"
        folder.mkdir()
        for number in range(count):
            cells = student(random.Random(10_000 + number))
            (folder / f"p{number:04d}.ipynb").write_text(notebook(cells, release))
        command = ["taskset", "-c", "0", sys.executable, "-m", "gradekit.cli", "similarity",
                   "ML06", "--all", "--json", "--files", *map(str, sorted(folder.iterdir()))]
        times = {}
        for run in ("cold", "warm"):
            began = time.perf_counter()
            done = subprocess.run(command, cwd=copy.root, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            times[run] = round(time.perf_counter() - began, 2)
            if done.returncode:
                raise SystemExit(f"similarity failed: {done.stderr.strip()}")
        return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--copies", type=int, default=5, help="copies per level")
    parser.add_argument("--speed", type=int, default=500, help="notebooks timed (0: skip)")
    args = parser.parse_args()
    course = Course(ROOT)
    release = (ROOT / "release" / "ML06" / "ML06.ipynb").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        independent, positives = build_class(folder, release, args.students, args.copies)
        began = time.perf_counter()
        ours = evaluate(gradekit_scores(folder, course), independent, positives)
        ours_s = time.perf_counter() - began
        theirs_scores = copydetect_scores(folder, release)
        theirs = evaluate(theirs_scores, independent, positives) if theirs_scores else None
    print(f"{args.students} independent notebooks, {args.copies} copies per level "
          f"(gradekit {ours_s:.1f} s)")
    print(f"{'level':<26}{'gradekit AUC':>13}{'top-k prec':>11}{'copydetect AUC':>16}"
          f"{'top-k prec':>11}")
    for level, name in LEVELS.items():
        other = (f"{theirs[level]['auc']:>16.3f}{theirs[level]['precision_top']:>11.2f}"
                 if theirs else f"{'-':>16}{'-':>11}")
        print(f"{level} {name:<24}{ours[level]['auc']:>13.3f}"
              f"{ours[level]['precision_top']:>11.2f}{other}")
    times = speed(course, release, args.speed) if args.speed else None
    if times:
        print(f"speed, {args.speed} notebooks, all pairs, one core: {times['cold']} s cold, "
              f"{times['warm']} s with the cache")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "similarity.json").write_text(json.dumps({
        "students": args.students, "copies_per_level": args.copies, "gradekit": ours,
        "copydetect": theirs, "speed_notebooks": args.speed, "speed_s": times}, indent=2))


if __name__ == "__main__":
    main()
