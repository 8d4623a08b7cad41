"""How well `gradekit similarity` tells copies from independent work, and how fast it is.

    python benchmarks/similarity_bench.py [--students 40] [--copies 5] [--speed 500]
                                          [--seed 0 [1 2 ...]] [--class varied [styles]]

Builds a class of independent ML06 notebooks (styles the tests never saw: "varied", the
default, makes choices inside each style per student, benchmarks/similarity_varied.py;
"styles", a stress class, takes the styles of benchmarks/similarity_solutions.py as written,
so independent students share long functions token for token) and copies of some of them
disguised at growing levels, each level adding to the ones before it:
  1 comments and formatting   2 consistent renaming     3 reordered functions and cells
  4 dead code and prints      5 equivalent rewrites     6 a function rewritten loops <->
  vectorised                  7 (alone) only one function copied into one's own work.
Per level: ROC-AUC of copied pairs against independent pairs and precision among the top
pairs (as many as there are copies), for gradekit and for copydetect (release as
boilerplate; skipped with a message when it is not installed).  Then the speed of the
command on --speed notebooks, cold and with its cache.  Raw figures go to
benchmarks/results/similarity.json, under "classes" then the seed.
"""
import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from similarity_disguises import CLASSES, LEVELS, disguise, rename_all, student

from gradekit.course.layout import Course
from gradekit.similarity import compare, load_document
from gradekit.similarity.sources import starter_of


def notebook(cells, release):
    """The release notebook with these solution cells filled in (JSON text)."""
    nb = json.loads(release)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in cells:
            cell["source"] = cells[grade_id]
    return json.dumps(nb, indent=1)


def build_class(folder, release, n_students, copies, seed=0, klass="varied"):
    """Write the class; returns (independent ids, {level: [(source id, copy id)]})."""
    rng = random.Random(seed)
    originals, picks = {}, {}
    for number in range(n_students):
        state = random.Random(seed * 1000 + number)
        chosen = {name: state.choice(variants) for name, variants in CLASSES[klass].items()}
        picks[f"s{number:03d}"] = chosen
        originals[f"s{number:03d}"] = student(random.Random(seed * 1000 + number),
                                              klass=klass)
    for sid, cells in originals.items():
        (folder / f"{sid}.ipynb").write_text(notebook(cells, release))
    positives = {}
    for level in LEVELS:
        positives[level] = []
        for k, sid in enumerate(rng.sample(sorted(originals), copies)):
            copy_id = f"c{level}_{k}_{sid}"
            raw = originals[sid]
            if level == 7:
                cells = student(random.Random(f"{seed}-own-{level}-{k}"), klass=klass)
                stolen = {"gradients": raw["gradients"]}
                rename_all(stolen, lambda n: "z" + n)
                cells["gradients"] = stolen["gradients"]
            else:
                cells = disguise(raw, level, random.Random(f"{seed}-{level}-{k}"), picks[sid],
                                 klass)
            (folder / f"{copy_id}.ipynb").write_text(notebook(cells, release))
            positives[level].append((sid, copy_id))
    return sorted(originals), positives


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
                       # 1 + independent pairs scoring at least as high, per copy
                       "ranks": sorted(1 + sum(n >= p for n in negative) for p in positive),
                       "precision_top": round(precision_at(positive, negative), 4),
                       "copied_min": round(min(positive), 4),
                       "independent_max": round(max(negative), 4)}
    return rows


def speed(course, release, count):
    """Seconds of `gradekit similarity ML06 --files ... --all --json` on `count` notebooks
    pinned to one core: cold (empty cache) and warm (every file fingerprinted before), then
    of the default top 20 with the cache; CPU seconds of the command beside wall seconds,
    as the machine may be shared."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = course.copy_to(Path(tmp) / "course")
        folder = Path(tmp) / "class"
        folder.mkdir()
        for number in range(count):
            cells = student(random.Random(10_000 + number))
            (folder / f"p{number:04d}.ipynb").write_text(notebook(cells, release))
        command = ["taskset", "-c", "0", sys.executable, "-m", "gradekit.cli", "similarity",
                   "ML06", "--json", "--files", *map(str, sorted(folder.iterdir()))]
        times = {}
        for run, extra in (("cold", ["--all"]), ("warm", ["--all"]), ("top20_warm", [])):
            began, used = time.perf_counter(), cpu_of_children()
            done = subprocess.run(command + extra, cwd=copy.root, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, check=False)
            times[run] = round(time.perf_counter() - began, 2)
            times[f"{run}_cpu"] = round(cpu_of_children() - used, 2)
            if done.returncode:
                raise SystemExit(f"similarity failed: {done.stderr.strip()}")
        return times


def columns(row, width):
    return (f"{row['auc']:>{width}.3f}{row['precision_top']:>7.2f}"
            f"{row['copied_min'] - row['independent_max']:>+7.2f}")


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--copies", type=int, default=5, help="copies per level")
    parser.add_argument("--speed", type=int, default=500, help="notebooks timed (0: skip)")
    parser.add_argument("--seed", type=int, nargs="+", default=[0],
                        help="other classes and other copies, one table each "
                             "(docs/performance.md's tables: 0 1 2)")
    parser.add_argument("--class", dest="classes", nargs="+", default=["varied"],
                        choices=sorted(CLASSES), help="honest classes (docs: both)")
    args = parser.parse_args()
    course = Course(ROOT)
    release = (ROOT / "release" / "ML06" / "ML06.ipynb").read_text()
    by_class = {klass: {str(seed): run_seed(args, course, release, seed, klass)
                        for seed in args.seed} for klass in args.classes}
    times = speed(course, release, args.speed) if args.speed else None
    if times:
        print(f"speed, {args.speed} notebooks, all pairs, one core: cold {times['cold']} s "
              f"({times['cold_cpu']} s CPU), with the cache {times['warm']} s "
              f"({times['warm_cpu']} s CPU); top 20 with the cache {times['top20_warm']} s "
              f"({times['top20_warm_cpu']} s CPU)")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "similarity.json").write_text(json.dumps({
        "students": args.students, "copies_per_level": args.copies, "classes": by_class,
        "speed_notebooks": args.speed, "speed_s": times}, indent=2))


def run_seed(args, course, release, seed, klass):
    """{"gradekit": rows, "copydetect": rows or None} of one class (see evaluate), printed
    as a table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        independent, positives = build_class(folder, release, args.students, args.copies,
                                             seed, klass)
        began = time.perf_counter()
        ours = evaluate(gradekit_scores(folder, course), independent, positives)
        ours_s = time.perf_counter() - began
        theirs_scores = copydetect_scores(folder, release)
        theirs = evaluate(theirs_scores, independent, positives) if theirs_scores else None
    print(f"class {klass}: {args.students} independent notebooks, {args.copies} copies per "
          f"level, seed {seed} (gradekit {ours_s:.1f} s)")
    print(f"{'level':<26}{'gradekit AUC':>13}{'top-k':>7}{'gap':>7}"
          f"{'copydetect AUC':>16}{'top-k':>7}{'gap':>7}  ranks of copies (gradekit)")
    for level, name in LEVELS.items():
        line = f"{level} {name:<24}" + columns(ours[level], 13)
        line += columns(theirs[level], 16) if theirs else f"{'-':>30}"
        print(f"{line}  {ours[level]['ranks']}")
    print("top-k: share of copies among the top pairs (as many as there are copies); gap: "
          "lowest copy's score minus highest independent pair's (> 0: all copies on top); "
          "ranks: 1 + independent pairs scoring at least as high")
    return {"gradekit": ours, "copydetect": theirs}


if __name__ == "__main__":
    main()
