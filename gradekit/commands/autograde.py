"""`gradekit autograde ASSIGNMENT [--jobs N] [--student ID]`: grade submitted/ in parallel.

Each submitted/ID/ASSIGNMENT/ASSIGNMENT.ipynb is graded in its own sandbox, `jobs` at a time
(by the warm server when one runs, else in a local process pool: gradekit.dispatch decides),
and recorded in the gradebook as it finishes (gradebook writes are serialised there).
"""
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from ..attempts.states import Status
from ..attempts import gradebook
from ..course.layout import Course, CourseError
from ..dispatch import grader_for
from ..course.config import load_policy
from ..attempts.storage import write_replace
from ..attempts.record import write_feedback_page
from ..attempts.receive import STUDENT_ID
from ..errors import Exit


def submitted_notebooks(course, assignment, student=None):
    """{student: notebook path} of everything waiting in submitted/."""
    if student is not None and not STUDENT_ID.match(student):
        raise CourseError(f"invalid student id {student!r}")
    found = {}
    for path in sorted((course.root / "submitted").glob(f"*/{assignment}/{assignment}.ipynb")):
        who = path.parent.parent.name
        if student in (None, who):
            found[who] = path
    if student is not None and not found:
        raise CourseError(f"no submission of {student} for {assignment} in submitted/")
    return found


def submitted_at(notebook):
    """nbgrader's timestamp.txt beside the notebook, else the file's modification time."""
    stamp = notebook.parent / "timestamp.txt"
    try:
        text = stamp.read_text().strip().removesuffix(" UTC")
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    except (OSError, ValueError):
        return datetime.fromtimestamp(notebook.stat().st_mtime, timezone.utc)


def main(*, assignment: str, jobs: int | None = None, student: str | None = None,
         course_root: Path = Path(".")) -> int:
    """Grade and record every submission; print a summary table."""
    course = Course(course_root)
    course.assignment(assignment)
    policy = load_policy(course, assignment)
    found = submitted_notebooks(course, assignment, student)
    students, paths = list(found), list(found.values())
    rows = {}
    bar = tqdm(total=len(paths), unit="nb", desc=f"autograde {assignment}",
               disable=not sys.stderr.isatty())
    for index, result in grader_for(course, assignment).grade_many(paths, jobs):
        who = students[index]
        if result.status == Status.GRADED:
            began = time.monotonic()
            when = submitted_at(paths[index])
            penalty = policy.penalty(when, result.max_score)
            gradebook.record(course, assignment, who, result, timestamp=when, penalty=penalty)
            recorded = time.monotonic()
            folder = course.root / "autograded" / who / assignment
            write_feedback_page(result, course, folder / "feedback.html")
            # written last, with the seconds this process spent on it (serial), for benchmarks
            timing = {"gradebook": recorded - began, "feedback": time.monotonic() - recorded,
                      "grading": result.timing}
            write_replace(folder / "report.json",
                          json.dumps(dict(result.to_json(), timing=timing), indent=2))
            rows[who] = (result.score - penalty, result.max_score, result.duration_s, "")
        else:
            rows[who] = (0.0, 0.0, 0.0, result.error)
        bar.update()
    bar.close()
    print(summary(assignment, rows))
    return Exit.DONE if all(not row[3] for row in rows.values()) else Exit.OURS


def summary(assignment, rows):
    """A plain table: student, points, time, problem."""
    lines = [f"{assignment}: {len(rows)} submissions graded",
             f"{'student':24} {'points':>13} {'time':>7}  note"]
    for who in sorted(rows):
        score, most, seconds, problem = rows[who]
        lines.append(f"{who:24} {score:6.2f} / {most:4.1f} {seconds:6.1f}s  {problem[:60]}")
    return "\n".join(lines)
