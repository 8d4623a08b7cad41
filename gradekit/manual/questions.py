"""The manually graded questions of an assignment and a student's answer to each, read from
notebook JSON only (the source notebook, the release's stubs, the archived upload).

A question is an nbgrader cell people grade: a "manually graded answer" (grade and solution:
free text or code) or a "manually graded task" (task: e.g. a plot the whole notebook draws).
"""
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ..attempts import artifacts
from ..attempts.storage import beside
from ..submissions.load import Rejected, decode_text, read_notebook, unzip_one

SOLUTION_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$", re.MULTILINE)
HEADING = re.compile(r"^\s*#+\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Question:
    """One manually graded cell of the source notebook."""

    id: str           # the nbgrader grade_id of the cell
    kind: str         # "answer" (grade + solution cell: free text) | "task" (nbgrader task cell)
    max_score: float  # nbgrader points
    title: str        # the heading of the nearest statement cell above ("Task 3")
    prompt: str       # markdown of that statement cell
    solution: str     # the source cell's text: the model answer; for tasks the task text


def questions(course, assignment) -> list:
    """The assignment's questions in source notebook order; [] when it has none."""
    path = source_notebook(course, assignment)
    return list(_questions(str(path), path.stat().st_mtime_ns)) if path else []


def manual_max(course, assignment) -> float:
    """The points of the assignment's questions graded by hand."""
    return sum(q.max_score for q in questions(course, assignment))


def question(course, assignment, qid) -> Question:
    """The question `qid`; KeyError when the assignment has none of that id."""
    for found in questions(course, assignment):
        if found.id == qid:
            return found
    raise KeyError(f"no question {qid!r} in {assignment}")


def source_notebook(course, assignment):
    """source/<A>/<A>.ipynb, else the folder's only notebook, else None."""
    folder = course.source_dir(assignment)
    named = folder / f"{assignment}.ipynb"
    if named.is_file():
        return named
    found = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    return found[0] if len(found) == 1 else None


def _kind(meta):
    if meta.get("task"):
        return "task"
    if meta.get("grade") and meta.get("solution"):
        return "answer"
    return None


@lru_cache(maxsize=16)
def _questions(path, _mtime):
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    found, statement = [], ""
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        text = _text(cell)
        kind = _kind(meta)
        if kind is None:
            if cell.get("cell_type") == "markdown" and HEADING.match(text):
                statement = text   # the nearest statement above the next question
            continue
        heading = HEADING.match(statement)
        title = heading.group(1).split(" — ")[0] if heading else meta["grade_id"]
        found.append(Question(meta["grade_id"], kind, float(meta.get("points", 0) or 0),
                              title, statement, _without_markers(text)))
    return tuple(found)


def _text(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _without_markers(text):
    return SOLUTION_MARKER.sub("", text).strip()


def answer_text(course, row, question) -> str:
    """The attempt's answer to `question`: the text of the cell with its grade_id in the
    archived upload; "" when missing, blank, unchanged from the release's stub, a .py upload
    or a task (a task's answer is what the whole notebook draws)."""
    if question.kind != "answer":
        return ""
    cells = _upload_cells(str(course.root / row.archive),
                          course.public_files(row.assignment))
    text = cells.get(question.id, "").strip()
    if not text or text == release_stubs(course, row.assignment).get(question.id):
        return ""
    return text


def answer_digest(course, row, question) -> str:
    """What a grade of this attempt's answer is tied to: the SHA-256 of the answer text; for
    a task, of the numbers the graders kept, which its pictures are drawn from (a new upload
    whose code trains the same networks keeps the grade), or of the whole upload while there
    are none (an attempt graded before they were kept, or being recorded this moment)."""
    if question.kind == "answer":
        return hashlib.sha256(answer_text(course, row, question).encode()).hexdigest()
    drawn_from = beside(course, row.archive, artifacts.SUFFIX)
    if not drawn_from.is_file():
        drawn_from = course.root / row.archive
    return _file_digest(str(drawn_from), drawn_from.stat().st_mtime_ns)


@lru_cache(maxsize=4096)   # by modification time: a regrade rewrites the kept numbers
def _file_digest(path, _stamp):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=4096)
def _upload_cells(path, helpers):
    """{grade_id: cell text} of an archived upload ({} for a script or an unreadable file)."""
    try:
        data = Path(path).read_bytes()
        name = PurePosixPath(path).name
        if name.lower().endswith(".zip"):
            name, data = unzip_one(data, helpers)
        if not name.lower().endswith(".ipynb"):
            return {}
        # checked when it was uploaded: plain JSON is enough (and ~10x faster) to find cells
        cells = json.loads(decode_text(data)).get("cells")
        if not isinstance(cells, list):   # nbformat 3: nbformat converts it
            cells = read_notebook(data).cells
    except (OSError, ValueError, Rejected):
        return {}
    found = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
            found[meta["grade_id"]] = _text(cell)
    return found


def release_stubs(course, assignment) -> dict:
    """{grade_id: stripped text} of the release notebook's cells (what students start from)."""
    path = course.release_dir(assignment) / f"{assignment}.ipynb"
    if not path.is_file():
        return {}
    return _stubs(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _stubs(path, _mtime):
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return {cell["metadata"]["nbgrader"]["grade_id"]: _text(cell).strip() for cell in cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
