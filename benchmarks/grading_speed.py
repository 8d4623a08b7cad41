#!/usr/bin/env python
"""Grading speed at deadline scale: stock nbgrader against gradekit, in one run.

    python benchmarks/grading_speed.py [--quick] [--out FILE] [--json FILE]

measure.py runs every mode on private temporary copies of the course and collects the raw
figures, report.py prints them as docs/performance.md's tables (--out: also to FILE,
--json: the raw figures to FILE; `python benchmarks/report.py FILE` prints them again).
Timings are information, never a test: exit 0 unless a measured command failed.
"""
import argparse
import sys
from pathlib import Path

from measure import Measurement, save
from report import render


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="4 small submissions, 1 repetition (for the test suite)")
    parser.add_argument("--out", type=Path, help="also write the report as Markdown to FILE")
    parser.add_argument("--json", type=Path, help="write the raw figures as JSON to FILE")
    parser.add_argument("--reps", type=int, default=3,
                        help="repetitions of each single-notebook mode and upload (full mode)")
    parser.add_argument("--batch-reps", type=int, default=1,
                        help="repetitions of each gradekit batch (stock: always 1)")
    parser.add_argument("--server-timeout", type=float, default=300.0,
                        help="seconds to wait for `gradekit serve` to be ready")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course copies")
    args = parser.parse_args(argv)
    figures = Measurement(args.quick, args.reps, args.batch_reps, args.server_timeout,
                          args.keep).main()
    if args.json:
        save(figures, args.json)
    text = render(figures)
    print(text, flush=True)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
