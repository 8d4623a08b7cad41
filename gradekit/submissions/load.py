"""Load an uploaded file (.ipynb, .py or .zip) into code units, without running any of it.

A unit is one notebook cell or one top-level statement of a script: the sandbox runs them one
by one, so a unit that raises does not stop the others from defining their names.  Every
step here is linear in the upload's size, within the caps of bounds.py.
"""
import hashlib
import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .bounds import (MAX_UPLOAD_BYTES, MAX_ZIP_MEMBERS, Rejected, check_notebook_size,
                     check_source, check_statements, check_zip_member, check_zip_solution,
                     load_json)
from .experiments import experiments_to_skip
from .notebook_reader import read_v4
from .pyparse import TooDeep, parse

SKIPPED_IN_ZIP = ("__MACOSX/", ".ipynb_checkpoints/")


class Unit(NamedTuple):
    """One cell or top-level statement; `line` is where its source starts in the uploaded
    script (the sandbox numbers its lines from there, so tracebacks name the file's lines)."""

    label: str
    source: str
    line: int = 1


@dataclass
class Submission:
    """A loaded upload: where it came from and the code units to run, in order."""

    filename: str
    sha256: str
    kind: str                                   # "ipynb" or "py": the code actually graded
    units: list = field(default_factory=list)   # [Unit]
    notebook: object = None                     # the nbformat notebook, for ipynb uploads
    source: str = ""                            # the script's text, for py uploads


def load_submission(path, **options):
    """Read and check `path`; options as for load_bytes."""
    return load_bytes(Path(path).name, read_upload(path), **options)


def read_upload(path) -> bytes:
    """The bytes of a file to grade; Rejected when it is too large or cannot be read."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_UPLOAD_BYTES:   # before reading it all into memory
            raise Rejected(f"file is larger than {MAX_UPLOAD_BYTES >> 20} MB")
        return path.read_bytes()
    except OSError as exc:
        raise Rejected(f"cannot read {path.name}: {exc.strerror}") from None


def load_bytes(filename, data, *, helpers=(), experiments=(), api=()):
    """Check an upload and split it into code units.

    helpers: file names the release ships beside the notebook (never a solution in a zip);
    experiments: grade_ids of notebook cells that only train and plot (see notebook_units);
    api: names the graders use.
    """
    digest = hashlib.sha256(data).hexdigest()
    suffix = PurePosixPath(filename).suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise Rejected(f"file is larger than {MAX_UPLOAD_BYTES >> 20} MB")
    if not data.strip():
        raise Rejected("file is empty")
    if suffix == ".zip":
        filename, data = unzip_one(data, helpers)
        suffix = PurePosixPath(filename).suffix.lower()
    try:
        if suffix == ".ipynb":
            notebook = read_notebook(data)
            return Submission(filename, digest, "ipynb",
                              notebook_units(notebook, experiments, api), notebook)
        if suffix == ".py":
            text = decode_text(data)
            check_source(filename, text)
            return Submission(filename, digest, "py", script_units(text, filename),
                              source=text)
    except TooDeep as exc:
        raise Rejected(str(exc)) from None
    raise Rejected(f"unsupported file type {suffix or '(none)'!r}: upload .ipynb, .py or .zip")


def decode_text(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected(f"not UTF-8 text (byte {exc.start})") from None


def unzip_one(data, helpers):
    """The single solution file inside a zip, checked member by member, never extracted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Rejected("not a valid zip file") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise Rejected(f"zip holds more than {MAX_ZIP_MEMBERS} files")
    candidates, unpacked = [], 0
    for member in members:
        unpacked += member.file_size
        check_zip_member(member, unpacked)
        name = member.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise Rejected(f"zip member {name!r} points outside the archive")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise Rejected(f"zip member {name!r} is a symbolic link")
        if member.is_dir() or name.startswith(SKIPPED_IN_ZIP) or "/." in "/" + name:
            continue
        if PurePosixPath(name).suffix.lower() in (".ipynb", ".py") and parts[-1] not in helpers:
            candidates.append(member)
    notebooks = [m for m in candidates if m.filename.lower().endswith(".ipynb")]
    chosen = notebooks or candidates
    if not chosen:
        raise Rejected("zip holds no .ipynb or .py solution")
    if len(chosen) > 1:
        names = ", ".join(sorted(m.filename for m in chosen))
        raise Rejected(f"zip holds several candidate solutions ({names}); upload exactly one")
    member = chosen[0]
    check_zip_solution(member)
    if member.file_size > MAX_UPLOAD_BYTES:
        raise Rejected(f"{member.filename} in the zip is larger than {MAX_UPLOAD_BYTES >> 20} MB")
    try:
        with archive.open(member) as handle:       # read at most the cap: a bomb stops here
            content = handle.read(MAX_UPLOAD_BYTES + 1)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError,
            RuntimeError) as exc:   # RuntimeError: zipfile's "password required"
        raise Rejected(f"cannot unpack {member.filename}: {exc}") from None
    if len(content) > MAX_UPLOAD_BYTES:
        raise Rejected(f"{member.filename} in the zip unpacks to more than "
                       f"{MAX_UPLOAD_BYTES >> 20} MB")
    return PurePosixPath(member.filename).name, content


def read_notebook(data):
    """Parse and validate a notebook; nbformat 3 is converted to 4."""
    text = decode_text(data)
    raw = load_json(text)
    if not isinstance(raw, dict) or "nbformat" not in raw or "cells" not in raw and "worksheets" not in raw:
        raise Rejected("JSON file is not a Jupyter notebook (no nbformat/cells)")
    check_notebook_size(raw)
    notebook = read_v4(raw)   # a valid v4 notebook, without importing nbformat (~1 s)
    if notebook is not None:
        return notebook
    import nbformat
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises many types for broken notebooks
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise Rejected(f"not a valid notebook: {first}") from None
    return notebook


MAGIC = re.compile(r"^(\s*)([%!].*)$")


def strip_magics(source):
    """IPython-only lines (%magic, !shell, %%cell magic) become no-ops; Python is kept."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].split()[0][2:]
        if magic not in ("time", "timeit", "capture", "prun"):
            return ""          # %%bash, %%html...: not Python, nothing to define
        lines = lines[1:]
    kept = [MAGIC.sub(r"\1pass  # \2", line) if MAGIC.match(line) else line for line in lines]
    return "\n".join(kept)


def notebook_units(notebook, experiments=(), api=()):
    """Code cells in order, minus nbgrader test cells (they only assert) and the experiment
    cells that nothing else needs (they only train and plot: most of a notebook's run time)."""
    cells = []
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            continue
        check_source(f"cell {number + 1}", cell.source)
        cells.append((f"cell {number + 1}", strip_magics(cell.source), meta.get("grade_id")))
    skipped = experiments_to_skip(cells, set(experiments), set(api))
    return [Unit(label, source) for label, source, _ in cells if label not in skipped]


def script_units(source, filename="<script>"):
    """Top-level statements of a script; blocks that do not parse become failing units.

    Linear in the script's size: it is parsed once, and when it does not parse, each of its
    top-level blocks once more.  Units carry the line they start on instead of padding.
    """
    try:
        units = statements(source, 1, filename)
    except SyntaxError:
        units = []
        for start, block in top_level_blocks(source):
            try:
                units += statements(block, start, filename)
            except SyntaxError:   # sent as it is: the sandbox reports the SyntaxError and line
                units.append(Unit(f"line {start}", block, start))
            check_statements(len(units))   # as it grows: a script of 1-line blocks stops here
    return units


def statements(source, first_line, filename):
    """Units of the top-level statements of `source`, which starts at line `first_line`."""
    tree = parse(source, filename)
    check_statements(len(tree.body))
    lines = source.splitlines(keepends=True)
    units = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        line = first + first_line - 1
        units.append(Unit(f"line {line}", "".join(lines[first - 1:node.end_lineno]), line))
    return units


def top_level_blocks(source):
    """Split a script that does not parse at lines starting in column 0 (not decorators'
    defs): [(line the block starts on, its text)]."""
    blocks, start = [], 0
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines):
        starts_block = line[:1].strip() and not line.startswith(("#", ")", "]", "}"))
        if number and starts_block and not lines[number - 1].startswith("@"):
            blocks.append((start + 1, "".join(lines[start:number])))
            start = number
    blocks.append((start + 1, "".join(lines[start:])))
    return blocks
