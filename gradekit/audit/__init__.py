"""Mutation testing of the hidden graders: the audit as a plain dict (`gradekit audit` shows it)."""
import os
import sys
import tempfile
import time
from pathlib import Path

from ..attempts.states import Status
from ..course.layout import CourseError
from ..dispatch import grader_for
from ..grading.library import load_library
from . import mutate
from .equivalence import probe

TINY = 1e-9   # scores are sums of decimal fractions: compare with a margin


def _reference_file(course, assignment):
    """The one reference module of the assignment (reference/<A>/*.py)."""
    files = sorted(course.reference_dir(assignment).glob("*.py"))
    if len(files) != 1:
        raise CourseError(f"expected one reference .py in {course.reference_dir(assignment)}, "
                          f"found {len(files)}")
    return files[0]


def _release_stub(course, assignment):
    stub = course.release_dir(assignment) / f"{assignment}.ipynb"
    if not stub.is_file():
        raise CourseError(f"no release notebook {stub} (run gradekit release {assignment})")
    return stub


def _row(name, result):
    """What every report row holds: status, score and {cell: [got, most]}."""
    points = {} if result.status != Status.GRADED else {
        cell: [round(got, 4), round(most, 4)] for cell, (got, most) in result.cell_scores().items()}
    return {"file": name, "status": result.status, "error": result.error,
            "score": round(result.score, 4), "max_score": round(result.max_score, 4),
            "duration_s": round(result.duration_s, 1), "points": points}


def _lost(row):
    return [cell for cell, (got, most) in row["points"].items() if got < most - TINY]


def _of(row, cell):
    got, most = row["points"][cell]
    return f"{got:g} of {most:g}"


def _grade_all(course, assignment, paths, jobs, show_progress):
    """GradingResults in the order of `paths`, graded `jobs` at a time."""
    from tqdm import tqdm
    results = [None] * len(paths)
    with tqdm(total=len(paths), desc=f"audit {assignment}", unit="grading", file=sys.stderr,
              disable=not show_progress) as bar:
        for index, result in grader_for(course, assignment).grade_many(paths, jobs):
            results[index] = result
            bar.update(1)
    return results


def _check_fixed_points(report, problems):
    """The reference must keep every point, the release stub must gain none."""
    ref, blank = report["reference"], report["release_stub"]
    ref["ok"] = ref["status"] == "graded" and not _lost(ref) and \
        0 < ref["max_score"] <= ref["score"] + TINY
    problems += [f"{ref['file']} lost points in {cell} ({_of(ref, cell)})" for cell in _lost(ref)]
    gained = [cell for cell, (got, _) in blank["points"].items() if got > TINY]
    blank["ok"] = blank["status"] == "graded" and not gained
    problems += [f"{blank['file']} gained points in {cell} ({_of(blank, cell)})"
                 for cell in gained]


def _check_library(report, library, results, problems):
    """Annotated mutants must lose points in each must-fail cell; variants must lose none."""
    report["mutants"], report["variants"] = [], []
    for example, result in zip(library, results):
        row = {**_row(example.name, result), "description": example.description}
        lost = _lost(row)
        if example.kind == "mutants":
            row["must_fail"] = sorted(example.must_fail)
            row["cells"] = {c: "K" if c in lost else "." for c in row["points"]}
            row["survived"] = [c for c in report["cells"] if c in example.must_fail and
                               c not in lost]
            row["ok"] = row["status"] == "graded" and bool(example.must_fail) and \
                not row["survived"]
            if not example.must_fail:
                problems.append(f"{example.name} names no check it must fail (# must-fail: ...)")
            problems += [f"{example.name} survived {cell} (annotated must-fail; it kept "
                         f"{_of(row, cell)})" for cell in row["survived"]]
        else:
            row["cells"] = {c: "FAIL" if c in lost else "ok" for c in row["points"]}
            row["failed"] = lost
            row["ok"] = row["status"] == "graded" and not lost
            problems += [f"{example.name} wrongly failed {cell} ({_of(row, cell)})"
                         for cell in lost]
        report[example.kind].append(row)


def _check_generated(report, chosen, results, reference, battery, jobs, problems):
    """Killed / survived per generated mutant; survivors go through the equivalence probe."""
    rows = []
    for mutant, result in zip(chosen, results):
        row = _row(mutant.id, result)
        lost = _lost(row)
        row.update(id=row.pop("file"), function=mutant.function, operator=mutant.operator,
                   line=mutant.line, cells={c: "K" if c in lost else "." for c in row["points"]},
                   status="error" if result.status != "graded" else
                   "killed" if lost else "survived", probe=None, diff=mutant.diff)
        rows.append(row)
    # Only survivors need the probe: a killed mutant has already shown it behaves differently.
    survivors = [(row, mutant) for row, mutant in zip(rows, chosen) if row["status"] == "survived"]
    verdicts = probe(reference, battery, [(m.id, m.source) for _, m in survivors], jobs)
    for row, mutant in survivors:
        row["probe"] = verdicts[mutant.id]
        if row["probe"] is None:
            row["status"] = "equivalent"
    count = {s: sum(r["status"] == s for r in rows)
             for s in ("killed", "survived", "equivalent", "error")}
    scored = len(rows) - count["equivalent"]
    report["generated"].update(
        selected=len(rows), **count, non_equivalent=scored,
        mutation_score=round(count["killed"] / scored, 4) if scored else None, mutants=rows)
    problems += [f"generated mutant {r['id']} could not be graded ({r['status']}): {r['error']}"
                 for r in rows if r["status"] == "error"]
    if report["strict"]:
        problems += [f"generated mutant {r['id']} survived (--strict)"
                     for r in rows if r["status"] == "survived"]


def run_audit(course, assignment, *, jobs=None, quick=False, limit=None, only=None,
              strict=False, show_progress=False):
    """Grade reference, stub, library and generated mutants; the report as a plain dict."""
    started = time.monotonic()
    assignment = course.assignment(assignment)
    jobs = jobs or os.cpu_count() or 1
    reference, stub = _reference_file(course, assignment), _release_stub(course, assignment)
    library = load_library(course.graders_dir(assignment), kinds=("mutants", "variants"))
    generated = mutate.generate(reference.read_text(encoding="utf-8"),
                                str(reference.relative_to(course.root)),
                                wrap_calls=dict(course.settings(assignment).wrap_calls))
    try:
        chosen = mutate.select(generated, quick=quick, limit=limit, only=only)
    except ValueError as exc:
        raise CourseError(str(exc)) from None

    with tempfile.TemporaryDirectory(prefix="gradekit-audit-") as folder:
        mutant_paths = [Path(folder) / f"mutant_{n:03d}.py" for n in range(len(chosen))]
        for path, mutant in zip(mutant_paths, chosen):
            path.write_text(mutant.source, encoding="utf-8")
        # a library mutant is graded as its base plus its override, under its own file name
        library_paths = [e.write_to(Path(folder) / e.kind) for e in library]
        results = _grade_all(course, assignment,
                             [reference, stub] + library_paths + mutant_paths,
                             jobs, show_progress)
    graded_s = time.monotonic() - started

    rel = lambda path: str(Path(path).relative_to(course.root))   # noqa: E731
    report = {"assignment": assignment, "sandbox": results[0].sandbox, "jobs": jobs,
              "gradings": len(results), "strict": strict,
              # grade cells in the graders' report order, taken from the reference's run
              "cells": list(dict.fromkeys(cell for r in results if r.status == Status.GRADED
                                          for cell in r.cell_scores())),
              "reference": _row(rel(reference), results[0]),
              "release_stub": _row(rel(stub), results[1]),
              "generated": {"total": len(generated), "quick": quick, "limit": limit,
                            "only": list(only or [])}}
    problems = [f"{row['file']} could not be graded ({row['status']}): {row['error']}"
                for row in (report["reference"], report["release_stub"])
                if row["status"] != "graded"]
    _check_fixed_points(report, problems)
    _check_library(report, library, results[2:2 + len(library)], problems)
    problems += [f"{row['file']} could not be graded ({row['status']}): {row['error']}"
                 for row in report["mutants"] + report["variants"] if row["status"] != "graded"]
    _check_generated(report, chosen, results[2 + len(library):], reference,
                     course.graders_dir(assignment) / "audit_probe.py", jobs, problems)
    report["library"] = {
        "mutants_killed": sum(r["ok"] for r in report["mutants"]),
        "mutants": len(report["mutants"]),
        "variants_ok": sum(r["ok"] for r in report["variants"]),
        "variants": len(report["variants"])}
    report["problems"] = problems
    report["passed"] = not problems
    report["timing_s"] = {"grading": round(graded_s, 1),
                          "probe": round(time.monotonic() - started - graded_s, 1)}
    report["duration_s"] = round(time.monotonic() - started, 1)
    return report
