"""Two students' counted notebooks cell by cell, for the side-by-side page.

Each row holds a cell of a and the cell of b it matches most (so moved cells still sit
side by side), or one of them alone; each line is marked "match" (covered by fingerprints
the two share, as the engine found them), "starter" (the same line is in the release's
code: greyed) or plain.  The files are loaded as uploads are (never run); every text is
handed to the template as data, which escapes it.
"""
from dataclasses import dataclass

from ..similarity import side_by_side
from ..similarity.documents import cells_of, normalise_text
from ..submission import load_bytes, read_upload


@dataclass
class Cell:
    label: str
    kind: str                          # "code" or "text"
    lines: list                        # [(number, text, "match" | "starter" | "")]
    starter_only: bool = False         # nothing but the release's: shown folded


@dataclass
class Row:
    a: Cell | None
    b: Cell | None


def load_cells(course, assignment, source):
    """[(kind, label, source)] of a student's counted file, as the engine compared it."""
    data = read_upload(source.path)
    return cells_of(load_bytes(source.filename, data, helpers=course.public_files(assignment)))


def release_lines(starter):
    """The stripped non-empty lines of the release's code cells, and its texts."""
    lines = {line.strip() for kind, _, text in starter.cells if kind == "code"
             for line in text.splitlines() if line.strip()}
    return lines, starter.texts


def marked(kind, label, text, matched, release):
    """A Cell: `matched` the line numbers the shared fingerprints cover (a text cell is
    matched whole: its fingerprints are word sequences, not lines)."""
    code_lines, texts = release
    starter_text = kind == "text" and normalise_text(text) in texts
    lines = []
    for number, line in enumerate(text.splitlines() or [""], 1):
        if number in matched or (kind == "text" and matched):
            mark = "match"
        elif starter_text or (kind == "code" and line.strip() in code_lines):
            mark = "starter"
        else:
            mark = ""
        lines.append((number, line, mark))
    folded = all(mark == "starter" or not line.strip() for _, line, mark in lines)
    return Cell(label, kind, lines, folded)


def align(cells_a, cells_b, passages):
    """[Row]: a's cells in order, each beside the b cell it shares most with (the
    heaviest cell pairs first, each cell once), else beside b's cell of the same label
    when that one is free (both notebooks come from one release: the same place in it);
    b's other cells after the row of b's cell before them."""
    weight = {}
    for p in passages:
        key = (p["a_cell"], p["b_cell"])
        weight[key] = weight.get(key, 0.0) + p["weight"]
    partner, placed = {}, set()
    for (a, b), _ in sorted(weight.items(), key=lambda item: -item[1]):
        if a not in partner and b not in placed:
            partner[a] = b
            placed.add(b)
    labels_b = {c.label for c in cells_b}
    for cell in cells_a:
        if cell.label not in partner and cell.label in labels_b - placed:
            partner[cell.label] = cell.label
            placed.add(cell.label)
    by_label = {c.label: c for c in cells_b}
    rows = [Row(cell, by_label.get(partner.get(cell.label))) for cell in cells_a]
    for position, cell in enumerate(cells_b):
        if cell.label in placed:
            continue
        before = {c.label for c in cells_b[:position]}
        at = max((k + 1 for k, row in enumerate(rows) if row.b and row.b.label in before),
                 default=0)
        rows.insert(at, Row(None, cell))
    return rows


def two_notebooks(course, assignment, view, a, b):
    """(passages, rows) of students a and b: the engine's matched passages (side_by_side,
    heaviest first) and the aligned rows of their cells."""
    passages = side_by_side(view.comparison, a, b) if view.score(a, b) else []
    release = release_lines(view.loaded.starter)
    cells = {}
    for student, side in ((a, "a"), (b, "b")):
        covered = {}
        for p in passages:
            covered.setdefault(p[f"{side}_cell"], set()).update(p[f"{side}_lines"])
        cells[side] = [marked(kind, label, text, covered.get(label, set()), release)
                       for kind, label, text in load_cells(course, assignment,
                                                           view.sources[student])]
    rows = align(cells["a"], cells["b"], passages)
    return [dict(p, row=row_of(rows, p)) for p in passages], rows


def row_of(rows, passage):
    """The number (from 1) of the row showing the passage: its two cells side by side,
    else a's cell."""
    labels = [(row.a and row.a.label, row.b and row.b.label) for row in rows]
    pair = (passage["a_cell"], passage["b_cell"])
    if pair in labels:
        return labels.index(pair) + 1
    return next(k for k, (a, _) in enumerate(labels, 1) if a == passage["a_cell"])
