"""The trusted side's time and peak memory per upload, at 1x, 10x and 100x its size.

    python benchmarks/upload_scaling.py [--shapes NAME,...] [--repeat N]

For each shape of upload (many cells, many statements, long lines, deep nesting just under
the caps of gradekit/submissions/bounds.py), each size is received by `receive.receive` on a
private course copy (archive, log, policy, load: split and analyse, place in submitted/) in a fresh
process, after a warm-up upload there.  Printed per size: the median wall time of N
receives, the peak of Python allocations during one receive (tracemalloc) and the
process's ru_maxrss (interpreter and imports included); then the ratio 100x / 1x.  Linear
work shows as a time ratio near 100 (or less, where fixed costs dominate 1x), quadratic
work as ~10 000.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCALES = (1, 10, 100)


def notebook(sources, grade_id=None):
    import nbformat
    meta = {"nbgrader": {"grade_id": grade_id, "solution": True, "grade": False}} \
        if grade_id else {}
    cells = [nbformat.v4.new_code_cell(source, metadata=meta) for source in sources]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells)).encode()


def many_cells(scale):
    """19 cells per 1x, every one an experiment cell read by the next: the dependency
    analysis's worst case (the grade_id of one of ML06's experiment cells, repeated)."""
    from gradekit.course.layout import Course
    experiment = sorted(Course(REPO).loading_options("ML06")["experiments"])[0]
    n = 19 * scale
    return "a.ipynb", notebook([f"x{i} = x{i + 1} + 1" for i in range(n)], experiment)


def many_statements(scale):
    """45 top-level statements per 1x in a script that does not parse (split in blocks)."""
    return "a.py", ("def broken(:\n" + "".join(
        f"value_{i} = [{i}, {i} + 1]\n" for i in range(45 * scale))).encode()


def long_lines(scale):
    """One statement of ~1900 characters per 1x."""
    line = "row = [" + ", ".join(f"{i}.5" for i in range(270)) + "]\n"
    return "a.py", (line * scale).encode()


def deep_expressions(scale):
    """Expressions nested 190 brackets deep (the tokenizer stops at 200), 8 per 1x."""
    line = "x = " + "(" * 190 + "1" + ")" * 190 + "\n"
    return "a.ipynb", notebook([line * 8] * scale)


def deep_json(scale):
    """Cell metadata nested 60 levels deep (the cap is 64), 20 cells per 1x."""
    data = json.loads(notebook(["x = 1"] * 20 * scale))
    for cell in data["cells"]:
        cell["metadata"]["deep"] = json.loads("[" * 60 + "]" * 60)
    return "a.ipynb", json.dumps(data).encode()


SHAPES = {"many cells": many_cells, "many statements": many_statements,
          "long lines": long_lines, "deep expressions": deep_expressions,
          "deep JSON": deep_json}


def measure_one(shape, scale, course_root, repeat):
    """In this (fresh) process: receive the upload `repeat` times, then once traced."""
    from gradekit.course.layout import Course
    from gradekit.attempts.receive import receive
    course = Course(course_root)
    filename, data = SHAPES[shape](scale)
    warm_name, warm_data = SHAPES[shape](1)
    receive(course, "ML06", "warmup", warm_name, warm_data)   # imports, schema compiled
    times = []
    for run in range(repeat):
        began = time.perf_counter()
        received = receive(course, "ML06", f"s{run}", filename, data)
        times.append(time.perf_counter() - began)
        assert received.outcome is None, received.outcome
    tracemalloc.start()
    receive(course, "ML06", "traced", filename, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"bytes": len(data), "seconds": statistics.median(times), "traced_mb": peak / 2**20,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fresh_course():
    from gradekit.course.layout import Course
    folder = Path(tempfile.mkdtemp(prefix="upload-scaling-"))
    root = Course(REPO).copy_to(folder / "course").root
    (root / "gradekit.toml").write_text("[ML06]\n")   # no upload limits: every size is loaded
    return root


def run(shape, scale, repeat):
    done = subprocess.run([sys.executable, __file__, "--one", shape, str(scale),
                           str(fresh_course()), str(repeat)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{shape} x{scale} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        shape, scale, root, repeat = args.one
        print(json.dumps(measure_one(shape, int(scale), Path(root), int(repeat))))
        return
    print("| shape | size | upload kB | time s | traced peak MB | maxrss MB |")
    print("|---|---|---|---|---|---|")
    ratios = []
    for shape in args.shapes.split(","):
        rows = {scale: run(shape, scale, args.repeat) for scale in SCALES}
        for scale, row in rows.items():
            print(f"| {shape} | {scale}x | {row['bytes'] / 1024:.1f} | {row['seconds']:.4f} "
                  f"| {row['traced_mb']:.2f} | {row['maxrss_mb']:.0f} |", flush=True)
        first, last = rows[SCALES[0]], rows[SCALES[-1]]
        ratios.append((shape, last["bytes"] / first["bytes"], last["seconds"] / first["seconds"],
                       last["traced_mb"] / max(first["traced_mb"], 1e-6)))
    print("\n| shape | bytes 100x/1x | time 100x/1x | traced memory 100x/1x |")
    print("|---|---|---|---|")
    for shape, size, seconds, memory in ratios:
        print(f"| {shape} | {size:.0f} | {seconds:.1f} | {memory:.1f} |")


if __name__ == "__main__":
    main()
