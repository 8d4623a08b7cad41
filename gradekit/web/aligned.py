"""Two students' counted notebooks cell by cell, for the side-by-side page.

A code cell with two or more top-level functions (a script is one such cell) is shown as
pieces, one per function, so that what matched can sit side by side like cells do.  Each
row holds a piece of a and the piece of b it shares most with (so moved code still sits
beside its match), or one of them alone; each line is marked "match" (covered by
fingerprints the two share, as the engine found them), "starter" (the same line is in the
release's code: greyed) or plain.  The files are loaded as uploads are and only parsed,
never run; every text goes to the template as data, which escapes it.
"""
import ast
import re
from dataclasses import dataclass

from ..submissions.pyparse import parse
from ..similarity import side_by_side
from ..similarity.documents import cells_of, normalise_text
from ..submissions.load import load_bytes, read_upload

NEWLINE = re.compile(r"\r\n|\r|\n")   # Python's own line breaks: the engine's line numbers
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
STRONG_SHARE = 0.1   # a pair sharing less than this of the heaviest pair's weight is weak:
                     # a single common statement, which must not pull a piece out of place


@dataclass
class Piece:
    label: str                  # "cell 7", or "cell 7, gradients" for a piece of it
    cell: str                   # the cell it is (part of), as the engine names it
    kind: str                   # "code" or "text"
    lines: list                 # [(line number in the cell, text, "match"|"starter"|"")]
    starter_only: bool = False  # nothing but the release's: shown folded

    def holds(self, cell, line):
        return cell == self.cell and self.lines[0][0] <= line <= self.lines[-1][0]


@dataclass
class Row:
    a: Piece | None
    b: Piece | None


def load_cells(course, assignment, source):
    """[(kind, label, source)] of a student's counted file, as the engine compared it."""
    data = read_upload(source.path)
    return cells_of(load_bytes(source.filename, data, helpers=course.public_files(assignment)))


def release_lines(starter):
    """The stripped non-empty lines of the release's code cells, and its texts."""
    lines = {line.strip() for kind, _, text in starter.cells if kind == "code"
             for line in NEWLINE.split(text) if line.strip()}
    return lines, starter.texts


def spans(kind, text, count):
    """[(name or None, first line, last line)] of a cell's pieces: at each top-level
    function or class, and at the other code after one; the whole cell when it has fewer
    than two functions or does not parse."""
    whole = [(None, 1, count)]
    if kind != "code":
        return whole
    try:
        body = parse(text).body
    except (SyntaxError, ValueError):   # ValueError: pyparse.TooDeep
        return whole
    if sum(isinstance(node, DEFINITIONS) for node in body) < 2:
        return whole
    starts, after_definition = [], True
    for node in body:
        if isinstance(node, DEFINITIONS):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            starts.append((node.name, first))
        elif after_definition:
            starts.append((None, node.lineno))
        after_definition = isinstance(node, DEFINITIONS)
    return [(name, 1 if k == 0 else first,
             starts[k + 1][1] - 1 if k + 1 < len(starts) else count)
            for k, (name, first) in enumerate(starts)]


def pieces(kind, cell, text, matched, release):
    """[Piece] of one cell; `matched`: the line numbers the shared fingerprints cover (a
    text cell is matched whole: its fingerprints are word sequences, not lines)."""
    code_lines, texts = release
    starter_text = kind == "text" and normalise_text(text) in texts
    lines = NEWLINE.split(text.rstrip("\r\n")) if text.strip() else [""]
    marked = []
    for number, line in enumerate(lines, 1):
        if number in matched or (kind == "text" and matched):
            mark = "match"
        elif starter_text or (kind == "code" and line.strip() in code_lines):
            mark = "starter"
        else:
            mark = ""
        marked.append((number, line, mark))
    found = []
    for name, first, last in spans(kind, text, len(lines)):
        shown = marked[first - 1:last]
        label = cell if (first, last) == (1, len(lines)) else \
            f"{cell}, {name}" if name else f"{cell}, lines {first}-{last}"
        folded = all(mark == "starter" or not line.strip() for _, line, mark in shown)
        found.append(Piece(label, cell, kind, shown, folded))
    return found


def piece_of(found, cell, lines):
    return next((p for p in found if p.holds(cell, lines[0] if lines else 1)),
                next(p for p in found if p.cell == cell))


def align(pieces_a, pieces_b, weights):
    """[Row]: a's pieces in order, each beside one b piece at most: first the pairs that
    share much (at least STRONG_SHARE of the heaviest pair's weight; heaviest first),
    then pieces of the same label (both notebooks come from one release, or the pieces
    name the same function), then the pairs that share a little; b's other pieces after
    the row of b's piece before them.  weights: {(a label, b label): shared weight}."""
    partner, placed = {}, set()

    def pair(a, b):
        if a not in partner and b not in placed:
            partner[a] = b
            placed.add(b)

    ranked = sorted(weights.items(), key=lambda item: -item[1])
    strong = STRONG_SHARE * ranked[0][1] if ranked else 0.0
    for (a, b), weight in ranked:
        if weight >= strong:
            pair(a, b)
    labels_b = {p.label for p in pieces_b}
    for piece in pieces_a:
        if piece.label in labels_b:
            pair(piece.label, piece.label)
    for (a, b), _ in ranked:
        pair(a, b)
    by_label = {p.label: p for p in pieces_b}
    rows = [Row(piece, by_label.get(partner.get(piece.label))) for piece in pieces_a]
    for position, piece in enumerate(pieces_b):
        if piece.label in placed:
            continue
        before = {p.label for p in pieces_b[:position]}
        at = max((k + 1 for k, row in enumerate(rows) if row.b and row.b.label in before),
                 default=0)
        rows.insert(at, Row(None, piece))
    return rows


def two_notebooks(course, assignment, view, a, b):
    """(passages, rows) of students a and b: the engine's matched passages (side_by_side,
    heaviest first, each with the row showing it and its lines in words) and the aligned
    rows of their cells' pieces."""
    passages = side_by_side(view.comparison, a, b) if view.score(a, b) else []
    release = release_lines(view.loaded.starter)
    found = {}
    for student, side in ((a, "a"), (b, "b")):
        covered = {}
        for p in passages:
            covered.setdefault(p[f"{side}_cell"], set()).update(p[f"{side}_lines"])
        found[side] = [piece for kind, cell, text in load_cells(course, assignment,
                                                                  view.sources[student])
                       for piece in pieces(kind, cell, text, covered.get(cell, set()),
                                           release)]
        seen = set()
        for piece in found[side]:   # two functions of one name in one cell: two labels
            if piece.label in seen:
                piece.label += f" (line {piece.lines[0][0]})"
            seen.add(piece.label)
    shown, weights = [], {}
    for p in passages:
        piece_a = piece_of(found["a"], p["a_cell"], p["a_lines"])
        piece_b = piece_of(found["b"], p["b_cell"], p["b_lines"])
        key = (piece_a.label, piece_b.label)
        weights[key] = weights.get(key, 0.0) + p["weight"]
        shown.append(dict(p, pieces=key,
                          a_span=span(p["a_lines"]) if piece_a.kind == "code" else "",
                          b_span=span(p["b_lines"]) if piece_b.kind == "code" else ""))
    rows = align(found["a"], found["b"], weights)
    labels = [(row.a and row.a.label, row.b and row.b.label) for row in rows]
    for p in shown:   # the row with both pieces side by side, else the one with a's
        p["row"] = (labels.index(p["pieces"]) if p["pieces"] in labels else
                    next(k for k, (a_label, _) in enumerate(labels)
                         if a_label == p["pieces"][0])) + 1
    return shown, rows


def span(lines):
    """ "line 4" or "lines 4-9" (first to last) of sorted line numbers."""
    return f"line {lines[0]}" if lines[0] == lines[-1] else f"lines {lines[0]}-{lines[-1]}"
