"""`gradekit release ASSIGNMENT`: build release/<assignment> with nbgrader and verify it."""
import fnmatch
import json
import sys
from pathlib import Path

from ..course.layout import ASSIGNMENT_NAME
from ..integrations.nbgrader_release import ReleaseError, run_nbgrader
from ..errors import Exit

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# Never shipped to students.  nbgrader itself skips caches and checkpoints; *.db covers a
# gradebook that somebody saved inside source/.
INSTRUCTOR_ONLY = ("*.db", "*.db-journal", ".ipynb_checkpoints", "__pycache__", "*.pyc", "feedback")
INSTRUCTOR_DIRS = ("reference", "graders")
# Shorter solution lines ("return a, b") are too generic to prove a leak.
MIN_DISTINCTIVE = 12


def main(*, assignment: str, course_root: Path) -> int:
    """Generate and verify release/<assignment>; exit 0, or 2 with a one-line error."""
    try:
        count = release(assignment, Path(course_root).resolve())
    except ReleaseError as exc:
        print(f"gradekit: error: {exc}", file=sys.stderr)
        return Exit.USAGE
    print(f"gradekit: released {assignment}: {count} files in release/{assignment}, no solutions")
    return Exit.DONE


def release(assignment, root):
    """Check the source, run nbgrader, verify the result; returns the number of files."""
    if not ASSIGNMENT_NAME.match(assignment or ""):
        raise ReleaseError(f"invalid assignment name {assignment!r}")
    if not (root / "nbgrader_config.py").is_file():
        raise ReleaseError(f"no nbgrader_config.py in {root} (run gradekit from the course root)")
    source = root / "source" / assignment
    notebooks = {path: load_notebook(path) for path in sorted(source.glob("*.ipynb"))}
    if not notebooks:
        raise ReleaseError(f"no source notebook in {source}")
    for path, nb in notebooks.items():
        check_metadata(path.relative_to(root), nb)
    run_nbgrader(assignment, root)
    return verify(root, assignment, notebooks)


def load_notebook(path):
    """The notebook JSON as a dict; invalid JSON is a ReleaseError, not a traceback."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReleaseError(f"{path.name} is not valid notebook JSON: {exc}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ReleaseError(f"{path.name} is not a notebook (no list of cells)")
    return nb


def nbgrader_meta(cell):
    """The cell's nbgrader metadata ({} for plain cells)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def check_metadata(name, nb):
    """Catch the metadata mistakes that would corrupt the gradebook or the grading."""
    seen = set()
    for index, cell in enumerate(nb["cells"]):
        meta = nbgrader_meta(cell)
        if not any(meta.get(key) for key in ("grade", "solution", "locked", "task")):
            continue
        grade_id = meta.get("grade_id")
        where = f"{name} cell {index}"
        if not grade_id:
            raise ReleaseError(f"{where}: nbgrader cell without grade_id")
        if grade_id in seen:
            raise ReleaseError(f"{where}: duplicate grade_id {grade_id!r}")
        seen.add(grade_id)
        if meta.get("grade") or meta.get("task"):
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                raise ReleaseError(f"{where}: grade cell {grade_id!r} needs non-negative points, "
                                   f"has {points!r}")


def is_instructor_only(relative):
    """True for paths that must never reach students."""
    return any(fnmatch.fnmatch(part, pattern)
               for part in relative.parts for pattern in INSTRUCTOR_ONLY)


def files_under(folder):
    """Relative paths of all files below folder, sorted."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def split_solution(cell):
    """(solution lines, public lines) of one cell's source."""
    lines = "".join(cell.get("source", "")).splitlines()
    if not nbgrader_meta(cell).get("solution"):
        return [], lines
    if not any(BEGIN in line for line in lines):
        return lines, []   # nbgrader replaces a whole solution cell without markers by a stub
    solution, public, inside = [], [], False
    for line in lines:
        if BEGIN in line or END in line:
            inside = BEGIN in line
        else:
            (solution if inside else public).append(line)
    return solution, public


def variants(lines):
    """Stripped lines, each also without its trailing comment (a leak may drop the comment)."""
    stripped = (line.strip() for line in lines)
    return {form for line in stripped for form in (line, line.split("#")[0].strip())}


def distinctive_lines(root, assignment, notebooks):
    """Solution and reference lines (see variants) that must not appear in the release."""
    secret, public = set(), set()
    for nb in notebooks.values():
        for cell in nb["cells"]:
            solution, shown = split_solution(cell)
            secret |= variants(solution)
            public |= variants(shown)
    for path in (root / "source" / assignment).glob("*.py"):   # helper modules ship as they are
        public |= variants(path.read_text(encoding="utf-8").splitlines())
    for path in sorted((root / "reference" / assignment).glob("*.py")):
        secret |= variants(path.read_text(encoding="utf-8").splitlines())
    return {line for line in secret - public if len(line) >= MIN_DISTINCTIVE}


def release_lines(path):
    """Lines a student sees in a release file (see variants; cell sources for notebooks)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        text = "\n".join("".join(cell.get("source", "")) for cell in cells)
    return variants(text.splitlines())


def verify(root, assignment, notebooks):
    """Raise ReleaseError unless release/<assignment> is exactly the public part of source."""
    source, target = root / "source" / assignment, root / "release" / assignment
    expected = [p for p in files_under(source) if not is_instructor_only(p)]
    shipped = files_under(target)
    if shipped != expected:
        extra = sorted(set(map(str, shipped)) ^ set(map(str, expected)))
        raise ReleaseError(f"release/{assignment} files differ from the public source files: {extra}")
    instructor = {p.read_bytes() for folder in INSTRUCTOR_DIRS   # empty files prove nothing
                  for p in (root / folder).rglob("*") if p.is_file() and p.stat().st_size}
    secret = distinctive_lines(root, assignment, notebooks)
    for relative in shipped:
        path = target / relative
        if path.read_bytes() in instructor:
            raise ReleaseError(f"release/{assignment}/{relative} is a copy of an instructor-only file")
        text = path.read_text(encoding="utf-8", errors="replace")
        marker = next((m for m in LEAK_MARKERS if m in text), None)
        if marker:
            raise ReleaseError(f"release/{assignment}/{relative} contains {marker!r}")
        leaked = sorted(secret & release_lines(path))
        if leaked:
            raise ReleaseError(f"release/{assignment}/{relative} leaks solution line {leaked[0]!r}")
    # nbgrader's output is already deterministic (cell checksums are hashes of the cell
    # contents, no timestamps are written), so nothing needs normalising here.
    return len(shipped)
