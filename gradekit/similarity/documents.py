"""One student's submission as fingerprinted regions, cached per file content.

A document is plain JSON (so it can be cached and read back by any process):
{"regions": [{"cell", "name", "kind", "fps": [[hash, first line, last line], ...]}],
 "texts": {cell: answer text}}.  kind is "code" or "text" (a free-text markdown answer).
Files are loaded exactly as uploads are (submission.load_bytes: never run); code cells are
those the student may edit (nbgrader test cells are the release's) plus any they added.
"""
import json
import re
from hashlib import blake2b
from pathlib import Path

from ..attempts.storage import write_replace
from ..submissions.load import load_bytes
from .fingerprints import fingerprints, stable_hash, statement_fingerprints
from .parsing import Context, parse_cell
from .regions import cell_regions, statement_keys

VERSION = "3"         # of the normalisation: a new one invalidates every cached document
TEXT_K = 5            # words per fingerprint of a free-text answer
WORD = re.compile(r"[\w.+-]+")


class Starter:
    """The release's code and text, left out of every document.

    statements: normalised statement tokens (tuples); texts: normalised markdown;
    digest: a hash of all of it, part of every cache key.
    """

    def __init__(self, release_bytes=b"", filename="release.ipynb"):
        self.statements, self.texts = set(), set()
        self.cells = []
        if release_bytes:
            self.cells = cells_of(load_bytes(filename, release_bytes))
            self.statements = statement_keys(
                [source for kind, _, source in self.cells if kind == "code"])
            self.texts = {normalise_text(source) for kind, _, source in self.cells
                          if kind == "text"}
        self.digest = blake2b(VERSION.encode() + release_bytes, digest_size=16).hexdigest()

    def fingerprints(self):
        """The hashes of the release's own fingerprints, whole and with its statements
        left out (what a student who changed nothing has), as a set."""
        return {fp[0] for document in (build(self.cells, Starter()), build(self.cells, self))
                for region in document["regions"] for fp in region["fps"]}


def cells_of(submission):
    """[(kind, label, source)] of a loaded Submission: "code" or "text" cells, in order."""
    if submission.kind == "py":
        return [("code", "script", submission.source)]
    cells, code, text = [], 0, 0
    for cell in submission.notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code":
            code += 1
            if not (meta.get("grade") and not meta.get("solution")):
                cells.append(("code", f"cell {code}", cell.source))
        elif cell.cell_type == "markdown":
            text += 1
            cells.append(("text", f"markdown {text}", cell.source))
    return cells


def normalise_text(text):
    return " ".join(WORD.findall(text.lower()))


def build(cells, starter):
    """The document of cells [(kind, label, source)], the starter's parts left out."""
    parsed = {label: parse_cell(source) for kind, label, source in cells if kind == "code"}
    context = Context(parsed.values())
    regions, texts = [], {}
    for kind, label, source in cells:
        if kind == "code":
            for region in cell_regions(label, parsed[label], starter.statements, context):
                fps = [[h, region.lines[a], region.lines[b]]
                       for h, a, b in fingerprints(region.tokens)]
                fps += [[h, line, line] for h, line in statement_fingerprints(region.statements)]
                regions.append({"cell": label, "name": region.name, "kind": "code",
                                "fps": fps})
            continue
        words = normalise_text(source).split()
        if not words or " ".join(words) in starter.texts:
            continue
        texts[label] = source.strip()
        grams = [" ".join(words[i:i + TEXT_K]) for i in range(max(len(words) - TEXT_K, 0) + 1)]
        regions.append({"cell": label, "name": "", "kind": "text",
                        "fps": [[stable_hash("text\x1f" + g), 1, 1] for g in grams]})
    return {"regions": regions, "texts": texts}


def load_document(filename, data, starter, cache_dir=None, helpers=()):
    """The document of an uploaded file's bytes; Rejected (submissions/load.py) when the file
    cannot be loaded.  cache_dir: where documents are kept by a hash of the bytes and of
    the starter, so a file is fingerprinted once (None: not cached); helpers: the release's
    helper files (never the solution in a zip)."""
    key = blake2b(starter.digest.encode() + data, digest_size=20).hexdigest()
    path = Path(cache_dir) / f"{key}.json" if cache_dir else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    document = build(cells_of(load_bytes(filename, data, helpers=helpers)), starter)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_replace(path, json.dumps(document))
        except OSError:   # a read-only course still gets its answer, only slower
            pass
    return document
