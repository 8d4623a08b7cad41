"""`gradekit similarity ASSIGNMENT [--files F ...] [--json] [--all] [--top N]`.

Compares every student's counted attempt (or the given files, one student each, named by
the file's stem) and ranks the pairs by how alike they are.  Nothing is run: files are
loaded as uploads are, and fingerprints are cached per file under .gradekit/similarity/.
"""
import json
import sys
from pathlib import Path

from .course import Course, CourseError
from .similarity import Starter, compare, load_document
from .similarity.sources import counted_attempts, failures, given_files, read_source
from .submission import Rejected

TOP = 20


def starter_of(course, assignment):
    """The Starter of the assignment's released notebook (empty when there is none)."""
    released = sorted(course.release_dir(assignment).glob("*.ipynb"))
    if not released:
        return Starter()
    return Starter(released[0].read_bytes(), released[0].name)


def main(*, assignment: str, files=None, course_root: Path = Path("."), as_json=False,
         all_pairs=False, top=TOP) -> int:
    course = Course(course_root)
    course.assignment(assignment)
    if top is not None and top < 1:
        raise CourseError("--top must be at least 1")
    sources = given_files(files) if files else counted_attempts(course, assignment)
    starter = starter_of(course, assignment)
    cache = course.root / ".gradekit" / "similarity"
    documents, behaviour = {}, {}
    for source in sources:
        try:
            documents[source.student] = load_document(
                source.filename, read_source(source), starter, cache,
                helpers=course.public_files(assignment))
        except Rejected as exc:
            if files:   # the user named it: they must know at once
                raise CourseError(f"{source.path}: {exc}") from None
            print(f"gradekit: warning: {source.student}'s counted attempt of {assignment} "
                  f"cannot be read ({exc}); left out", file=sys.stderr)
            continue
        behaviour[source.student] = failures(source.report)
    report = compare(assignment, documents, starter.fingerprints(),
                     top=None if all_pairs else top,
                     behaviour=behaviour if any(behaviour.values()) else None)
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(to_text(report, len(documents)))
    return 0


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
