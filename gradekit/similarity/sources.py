"""Which files a similarity run compares: each student's counted attempt, or given files.

Course mode reads what the upload path wrote (attempts/receive.py, record.py): for every
uploads/<student>/<assignment>/ folder, counted.json names the attempt that counts, the
attempts log its archived file and original name, and the report beside the archive what
grading found (behavioural evidence: what the student's functions computed, as plain text
written by the graders; nothing is run here).
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..course.layout import CourseError
from ..attempts.storage import read_json_lines
from ..submissions.load import Rejected, read_upload
from .documents import Starter, load_document


@dataclass
class Source:
    """One student's file to compare."""

    student: str
    filename: str        # the name it was uploaded as (its suffix says how to load it)
    path: Path
    report: Path | None = None   # the grading report beside an archived attempt


@dataclass
class Loaded:
    """A class ready to compare: {student: document}, {student: failed (test, output)},
    the release's Starter, and [(student, reason)] of counted attempts left out."""

    documents: dict = field(default_factory=dict)
    behaviour: dict = field(default_factory=dict)
    starter: Starter = field(default_factory=Starter)
    unreadable: list = field(default_factory=list)


def load_class(course, assignment, files=None) -> Loaded:
    """Every student's counted attempt (or `files`, see given_files), fingerprinted with
    the cache under .gradekit/similarity/.  A named file that cannot be loaded is a
    CourseError; a counted attempt that cannot is left out and listed in `unreadable`."""
    loaded = Loaded(starter=starter_of(course, assignment))
    cache = course.root / ".gradekit" / "similarity"
    for source in given_files(files) if files else counted_attempts(course, assignment):
        try:
            loaded.documents[source.student] = load_document(
                source.filename, read_upload(source.path), loaded.starter, cache,
                helpers=course.public_files(assignment))
        except Rejected as exc:
            if files:   # the user named it: they must know at once
                raise CourseError(f"{source.path}: {exc}") from None
            loaded.unreadable.append((source.student, str(exc)))
            continue
        loaded.behaviour[source.student] = failures(source.report)
    return loaded


def starter_of(course, assignment):
    """The Starter of the assignment's released notebook (empty when there is none)."""
    released = sorted(course.release_dir(assignment).glob("*.ipynb"))
    if not released:
        return Starter()
    return Starter(released[0].read_bytes(), released[0].name)


def counted_attempts(course, assignment):
    """[Source] of every student's counted attempt of `assignment`, sorted by student."""
    found = []
    for folder in sorted((course.root / "uploads").glob(f"*/{assignment}")):
        student = folder.parent.name
        try:
            counted = json.loads((folder / "counted.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue   # nothing graded yet, or only rejected attempts
        received = [r for r in read_json_lines(folder / "attempts.jsonl")
                    if r.get("event") == "received" and r.get("attempt") == counted["attempt"]]
        if not received or student.startswith("_"):
            continue
        archive = folder / received[-1]["archive"]
        stem = archive.with_suffix("")
        report = stem.with_name(stem.name + ".report.json")
        found.append(Source(student, received[-1]["filename"], archive,
                            report if report.is_file() else None))
    return found


def given_files(paths):
    """[Source] of files named on the command line, one student each, named by stem;
    CourseError (a one-line usage error) for a missing file or two files of one name."""
    sources, seen = [], {}
    for path in map(Path, paths):
        if not path.is_file():
            raise CourseError(f"{path}: no such file")
        if path.stem in seen:
            raise CourseError(f"{path} and {seen[path.stem]} would both be student "
                              f"{path.stem!r}: rename one")
        seen[path.stem] = path
        sources.append(Source(path.stem, path.name, path))
    return sources


def failures(report_path):
    """{(test name, output)} of the failed tests of a grading report (empty without one)."""
    if report_path is None:
        return set()
    try:
        report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {(t.get("name", ""), (t.get("output") or "").strip())
            for t in report.get("tests", [])
            if t.get("status") != "passed" and (t.get("output") or "").strip()}

