"""submitted/ID/ASSIGNMENT/: where nbgrader's own commands find a student's counted upload."""
import json

import nbformat

from ..attempts.storage import write_replace


def place(course, assignment, student, submission, received):
    """submitted/ID/ASSIGNMENT/<notebook>.ipynb and timestamp.txt, where nbgrader expects them."""
    target = course.root / "submitted" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    notebook = as_notebook(course, assignment, submission)
    # Loading validated it and as_notebook builds valid cells: nbformat.writes would validate
    # it again with jsonschema (~1 ms a cell, only to log), deep-copy it and indent it with
    # json's pure-Python encoder (time x nesting depth).  Compact JSON, C-encoded, is a
    # notebook all the same (multi-line strings may be one string, as nbformat allows);
    # ASCII, so that a lone surrogate an upload escaped ("\ud800") is written as it came.
    write_replace(target / f"{assignment}.ipynb", json.dumps(notebook, sort_keys=True))
    write_replace(target / "timestamp.txt", received.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


def as_notebook(course, assignment, submission):
    """The upload as the assignment's notebook: a script becomes one cell per statement,
    followed by the release's grade and answer cells (nbgrader restores and scores those)."""
    if submission.notebook is not None:
        return submission.notebook
    release = nbformat.read(course.release_dir(assignment) / f"{assignment}.ipynb", as_version=4)
    kept = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
    code = [nbformat.from_dict({"id": nbformat.v4.nbbase.random_cell_id(), "cell_type": "code",
                                "metadata": {}, "execution_count": None, "outputs": [],
                                "source": unit.source})   # new_code_cell validates each
            for unit in submission.units]
    intro = nbformat.v4.new_markdown_cell(f"Converted from the uploaded {submission.filename}.")
    release.cells = [intro] + code + kept
    return release
