"""How long the instructor's similarity pages take for a class of counted attempts.

    python benchmarks/similarity_pages.py [--students 500]

Writes a course copy whose students each have one counted attempt (an independent notebook
of benchmarks/similarity_solutions.py, laid out as receive.py and record.py leave it), signs
in an instructor on the web app in this process, and times: the list page from an empty
fingerprint cache, its reload, the list after one more student's attempt counts, and one
side-by-side page.  Run it pinned to one core (taskset -c 0) to compare with the command.
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from similarity_bench import notebook
from similarity_disguises import student

from gradekit.course.layout import Course
from gradekit.dispatch.local_queue import LocalQueue
from gradekit.attempts.users import add_user
from gradekit.web.app import build_app
from tests.unit.web.test_access import signed_in_client


def counted(course, sid, text):
    """sid's counted attempt 1 of ML06, as receive.receive and record.publish write it."""
    folder = course.root / "uploads" / sid / "ML06"
    folder.mkdir(parents=True)
    archive = "20260101T000000.000000Z-000000000001.ipynb"
    (folder / archive).write_text(text)
    (folder / "attempts.jsonl").write_text(json.dumps(
        {"event": "received", "attempt": 1, "filename": "ML06.ipynb", "archive": archive}) + "\n")
    (folder / "counted.json").write_text(json.dumps({"attempt": 1, "score": 10.0}))


def timed(client, path):
    began = time.perf_counter()
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return round(time.perf_counter() - began, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = Course(ROOT).copy_to(Path(tmp) / "course")
        release = (course.release_dir("ML06") / "ML06.ipynb").read_text()
        for number in range(args.students):
            counted(course, f"p{number:04d}", notebook(student(random.Random(10_000 + number)),
                                                       release))
        token = add_user(course, "prof", role="instructor")
        app = build_app(course, LocalQueue(course, workers=1))
        client = signed_in_client(app, token)
        figures = {"students": args.students,
                   "list_cold_s": timed(client, "/instructor/ML06/similarity"),
                   "list_reload_s": timed(client, "/instructor/ML06/similarity")}
        counted(course, "late", notebook(student(random.Random(99_999)), release))
        figures["list_after_one_more_s"] = timed(client, "/instructor/ML06/similarity")
        figures["side_by_side_s"] = timed(client, "/instructor/ML06/similarity/p0000/p0001")
        figures["comparisons_run"] = app.state.comparisons.computed
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
