"""Upload to report on the warm workers, one upload at a time on an idle machine: the
target is at most the longest single check + 0.15 s.

    python benchmarks/report_latency.py [--uploads K] [--workers N] [--json FILE]

What `gradekit web` does with an upload: upload.receive (archive, log, policy, load), then a
job on the embedded warm workers (dispatch/warm_workers.py, as LocalQueue submits it).  Timed from
before receive() until the attempt's row turns "graded" (polled every 5 ms): the API answers
the report from then on, and the attempt page, which reloads itself every second while it
waits, at its next reload; each upload waits for the previous one's feedback page.  The
upload is the solved notebook (the release notebook with the reference's code in its first
answer cell, as benchmarks/grading_speed.py builds it).  The stages come from the job's own
outcome (record.py's timing, GradingResult.timing).  Not part of the suite.
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from courses import notebook_from_script  # noqa: E402
from queue_speed import REFERENCE, course_copy, load, machine  # noqa: E402
from stages import UPLOAD_STAGES  # noqa: E402

from gradekit.attempts import table as attempts  # noqa: E402
from gradekit.dispatch import warm_workers  # noqa: E402
from gradekit.dispatch.jobs import AttemptJob  # noqa: E402
from gradekit.attempts.receive import receive  # noqa: E402

A = "ML06"
STAGES = UPLOAD_STAGES[:UPLOAD_STAGES.index("recorded") + 1]   # those before the report is shown
MARGIN_S = 0.15


def solved_notebook(root) -> bytes:
    import nbformat
    release = nbformat.read(root / "release" / A / f"{A}.ipynb", 4)
    return nbformat.writes(notebook_from_script(release, REFERENCE.read_text())).encode()


def one_upload(course, pool, student, data):
    """Seconds from upload to the row's "graded", and the job's own timing."""
    began = time.monotonic()
    received = receive(course, A, student, f"{A}.ipynb", data)
    job = AttemptJob(A, student, received.number)
    future = pool.submit(warm_workers.run, str(course.root), job)
    started = None
    while (status := attempts.get(course, A, student, received.number).status) != "graded":
        if status == "grading" and started is None:
            started = time.monotonic() - began
        time.sleep(0.005)
    shown = time.monotonic() - began
    outcome = future.result()   # returns once the feedback page is written too
    timing = outcome["json"]["timing"]
    tests = timing["grading"]["tests"]
    longest = max(tests, key=tests.get)
    return {"shown_s": shown, "started_s": started, "longest_check": longest,
            "longest_check_s": tests[longest], "grading_s": outcome["json"]["duration_s"],
            "groups": timing["grading"].get("groups"),
            "outside_student_s": timing["grading"].get("outside_student"),
            "feedback_s": timing["feedback"], "score": outcome["json"]["score"],
            **{f"{stage}_s": timing.get(stage, 0.0) for stage in STAGES}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    loads = [load()]
    with tempfile.TemporaryDirectory(prefix="latency-bench-") as folder:
        course = course_copy(folder)
        data = solved_notebook(course.root)
        pool = warm_workers.pool(course.root, [A], args.workers)   # warmed before timing
        try:
            runs = []
            for i in range(args.uploads):
                runs.append(one_upload(course, pool, f"s{i:02d}", data))
                loads.append(load())
        finally:
            pool.shutdown()
    med = {key: statistics.median(r[key] for r in runs)
           for key in runs[0] if key.endswith("_s") and runs[0][key] is not None}
    limit = med["longest_check_s"] + MARGIN_S
    print(f"machine: {machine()}; load average (1 min) during the run: "
          f"{', '.join(loads)}; {args.workers} warm workers; {args.uploads} uploads of the "
          f"solved notebook, one at a time")
    print("| upload | shown s | grading started after s | grading s | longest check s | groups "
          "| feedback page s |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(runs):
        print(f"| {i + 1} | {r['shown_s']:.2f} | {r['started_s'] or 0:.2f} | "
              f"{r['grading_s']:.2f} | "
              f"{r['longest_check_s']:.2f} ({r['longest_check'].split('::')[-1]}) | "
              f"{r['groups']} | {r['feedback_s']:.2f} |")
    print("medians, s: " + ", ".join(f"{k[:-2]} {v:.3f}" for k, v in med.items()))
    verdict = "PASS" if med["shown_s"] <= limit else "MISS"
    print(f"{verdict}: upload to report {med['shown_s']:.2f} s (median); the longest check "
          f"{med['longest_check_s']:.2f} s, so the limit is {limit:.2f} s "
          f"({med['shown_s'] - limit:+.2f} s); the feedback page is drawn after the report "
          f"({med['feedback_s']:.2f} s, which the report waited for before 2026-12-02)")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": med, "loads": loads}, indent=1))


if __name__ == "__main__":
    main()
