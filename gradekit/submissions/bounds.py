"""Caps on what an upload may hold, so that the trusted side's work stays linear in its size.

Receiving, loading, splitting, analysing and placing an upload run in the trusted process
(the web service's thread pool, a worker, `gradekit upload`) before any student code runs.
Each step below is linear in the bytes it reads, and each cap bounds a constant that would
otherwise let a few hundred kB cost minutes or gigabytes: CPython's parser builds about 1 kB
of AST per token and recurses on nested expressions, json recurses on nested arrays.  An
upload over a cap is rejected (exit 2, HTTP 422) with a message that names the cap.
"""
import json

from ..errors import UsageError

MAX_UPLOAD_BYTES = 5 << 20      # the file as uploaded, and the solution unpacked from a zip
MAX_ZIP_TOTAL = 20 << 20        # what all members of a zip say they unpack to
MAX_ZIP_MEMBERS = 200
MAX_ZIP_RATIO = 250             # unpacked / packed size of the solution (deflate peaks ~1030)
MAX_ZIP_NAME = 1024             # characters of a member's name
MAX_ZIP_NAME_PARTS = 32         # folders in a member's name
MAX_JSON_DEPTH = 64             # a notebook nests ~6 levels; widget state a few more
MAX_JSON_CONTAINERS = 500_000   # arrays and objects (~60 bytes each once parsed, twice)
MAX_CELLS = 2000                # code and text cells of a notebook
MAX_OUTPUTS = 10_000            # outputs stored in a notebook's cells
MAX_SOURCE_CHARS = 200_000      # one cell's source, or a whole .py script (~4000 lines)
MAX_STATEMENTS = 5000           # top-level statements of a script


class Rejected(UsageError, ValueError):
    """The upload cannot be graded at all; the message is the one-line reason."""


def load_json(text):
    """json.loads of a notebook, nested at most MAX_JSON_DEPTH deep (checked without
    recursion, before anything recursive — validation, nbformat — sees it), with at most
    MAX_JSON_CONTAINERS arrays and objects (counted on the text, brackets inside strings
    too, before json builds them: 5 MB of "[]" would be 2.5 million lists)."""
    if text.count("[") + text.count("{") > MAX_JSON_CONTAINERS:
        raise Rejected(f"notebook JSON holds more than {MAX_JSON_CONTAINERS} arrays and objects")
    try:
        raw = json.loads(text)
    except RecursionError:   # json's C scanner stops at the interpreter's recursion limit
        raise Rejected(f"notebook JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:
        raise Rejected(f"notebook is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    stack = [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise Rejected(f"notebook JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            stack += [(item, depth + 1) for item in value.values()
                      if isinstance(item, (dict, list))]
        elif isinstance(value, list):
            stack += [(item, depth + 1) for item in value if isinstance(item, (dict, list))]
    return raw


def check_notebook_size(raw):
    """Cells and stored outputs of a parsed notebook (v4 `cells`, v3 `worksheets`)."""
    sheets = raw.get("worksheets") if isinstance(raw.get("worksheets"), list) else [raw]
    cells = [cell for sheet in sheets if isinstance(sheet, dict)
             for cell in (sheet.get("cells") if isinstance(sheet.get("cells"), list) else [])]
    if len(cells) > MAX_CELLS:
        raise Rejected(f"notebook has {len(cells)} cells, more than the {MAX_CELLS} allowed")
    outputs = sum(len(cell["outputs"]) for cell in cells
                  if isinstance(cell, dict) and isinstance(cell.get("outputs"), list))
    if outputs > MAX_OUTPUTS:
        raise Rejected(f"notebook stores {outputs} outputs, more than the {MAX_OUTPUTS} "
                       "allowed (clear the outputs and upload again)")


def check_source(label, source):
    """One cell's (or a script's) source before it is parsed."""
    if len(source) > MAX_SOURCE_CHARS:
        raise Rejected(f"{label} has {len(source)} characters, more than the "
                       f"{MAX_SOURCE_CHARS} allowed for one cell or script")


def check_statements(count):
    if count > MAX_STATEMENTS:
        raise Rejected(f"script has {count} top-level statements, more than the "
                       f"{MAX_STATEMENTS} allowed")


def check_zip_member(member, unpacked_total):
    """A zip member's name, and the sizes the archive declares (the read itself is capped
    at MAX_UPLOAD_BYTES too, so a header that lies still costs no more)."""
    name = member.filename
    if len(name) > MAX_ZIP_NAME or name.count("/") + name.count("\\") >= MAX_ZIP_NAME_PARTS:
        raise Rejected(f"zip member name {name[:60]!r}... is longer than {MAX_ZIP_NAME} "
                       f"characters or {MAX_ZIP_NAME_PARTS} folders deep")
    if unpacked_total > MAX_ZIP_TOTAL:
        raise Rejected(f"zip members are larger than {MAX_ZIP_TOTAL >> 20} MB in all, "
                       "unpacked")


def check_zip_solution(member):
    """The member to grade: readable without a password, and not a bomb (refused by its
    declared compression ratio before it is inflated)."""
    if member.flag_bits & 0x1:
        raise Rejected(f"{member.filename} in the zip is encrypted: zip it without a password")
    if member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
        raise Rejected(f"{member.filename} in the zip is compressed more than "
                       f"{MAX_ZIP_RATIO}:1 (a zip bomb?)")
