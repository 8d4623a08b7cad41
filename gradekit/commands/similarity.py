"""`gradekit similarity ASSIGNMENT [--files F ...] [--json] [--all] [--top N]`.

Compares every student's counted attempt (or the given files, one student each, named by
the file's stem) and ranks the pairs by how alike they are.  With --all every pair is
listed, but only the top N and those scoring CLUSTER_SCORE or more carry cells and
evidence.  Nothing is run: files are loaded as uploads are, and fingerprints are cached
per file under .gradekit/similarity/.
"""
import json
import sys
from pathlib import Path

from ..course.layout import Course, CourseError
from ..similarity import compare
from ..similarity.sources import load_class
from ..errors import Exit

TOP = 20


def main(*, assignment: str, files=None, course_root: Path = Path("."), as_json=False,
         all_pairs=False, top=TOP) -> int:
    course = Course(course_root)
    course.assignment(assignment)
    if top is not None and top < 1:
        raise CourseError("--top must be at least 1")
    loaded = load_class(course, assignment, files)
    for student, reason in loaded.unreadable:
        print(f"gradekit: warning: {student}'s counted attempt of {assignment} cannot be "
              f"read ({reason}); left out", file=sys.stderr)
    report = compare(assignment, loaded.documents, loaded.starter.fingerprints(),
                     top=None if all_pairs else top, detailed=top,
                     behaviour=loaded.behaviour if any(loaded.behaviour.values()) else None)
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(to_text(report, len(loaded.documents)))
    return Exit.DONE


def to_text(report, students):
    """The ranked table of text mode, with each pair's strongest evidence below it."""
    lines = [(f"{report['assignment']}: {students} students, "
             f"{students * (students - 1) // 2} pairs compared")]
    if report["pairs"]:
        width = max(len(p["a"]) for p in report["pairs"])
        lines.append(f"{'rank':>4}  {'score':>5}  {'a':<{width}}  b")
    for rank, pair in enumerate(report["pairs"], 1):
        lines.append(f"{rank:>4}  {pair['score']:>5.2f}  {pair['a']:<{width}}  {pair['b']}")
        for sentence in pair["evidence"][:3]:
            lines.append(f"{'':>13}- {sentence}")
    for cluster in report["clusters"]:
        lines.append(f"cluster of {len(cluster)}: {', '.join(cluster)}")
    return "\n".join(lines)
