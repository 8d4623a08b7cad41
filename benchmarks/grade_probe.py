"""One cold grading as `gradekit grade` does it (grade_path), reported as one JSON line.

    python benchmarks/grade_probe.py ASSIGNMENT FILE     (from the course root)

The figures are the engine's own (GradingResult.timing, duration_s) plus memory read from
/proc: the sandbox's processes (everything this process starts) sampled while it grades.
"""
import json
import os
import resource
import sys
import time

started = time.monotonic()
from gradekit.course.layout import Course  # noqa: E402  (the imports are part of what is timed)
from gradekit.grading.run import grade_path  # noqa: E402

from probes import TreePeak  # noqa: E402  (run as a file: benchmarks/ is on sys.path)

imported = time.monotonic()


def main(assignment, path):
    with TreePeak(os.getpid()) as sandbox:
        result = grade_path(Course("."), assignment, path)
    print(json.dumps({"status": result.status, "score": result.score,
                      "max_score": result.max_score, "sandbox": result.sandbox,
                      "duration_s": result.duration_s, "timing": result.timing,
                      "imports_s": imported - started,
                      "trusted_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "sandbox_mb": sandbox.mb, "sandbox_processes": sandbox.processes,
                      "samples": sandbox.samples}))
    return 0 if result.status == "graded" else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
