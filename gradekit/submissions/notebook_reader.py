"""Read an nbformat 4 notebook without importing nbformat (load.py's fast path).

Importing nbformat costs ~1.1 s: it imports jsonschema, whose format checkers build a grammar
(rfc3987_syntax) at import time, before a single notebook is read.  A grading needs only the
check nbformat.validate makes, so this module validates against nbformat's own schema files
with fastjsonschema (compiled once per process) and gives what nbformat.reads gives: a dict
with attribute access whose multi-line strings are joined.  Anything it is not sure of
(another major version, a schema error, an unknown minor) is left to nbformat itself, so a
rejected upload gets nbformat's own message.
"""
import importlib.util
import json
import uuid
from functools import lru_cache
from pathlib import Path


class Node(dict):
    """A notebook dict with attribute access, as nbformat's NotebookNode."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def to_node(value):
    if isinstance(value, dict):
        return Node((key, to_node(item)) for key, item in value.items())
    if isinstance(value, list):
        return [to_node(item) for item in value]
    return value


@lru_cache(maxsize=None)
def schema_validator(minor):
    """fastjsonschema's compiled check of nbformat's v4.<minor> schema (None: not known)."""
    spec = importlib.util.find_spec("nbformat")   # finds the package without importing it
    folder = Path(spec.origin).parent / "v4" if spec and spec.origin else None
    if folder is None or not folder.is_dir():
        return None
    path = folder / f"nbformat.v4.{minor}.schema.json"
    newest = max((int(p.name.split(".")[2]) for p in folder.glob("nbformat.v4.*.schema.json")),
                 default=-1)
    if not path.is_file():
        if minor <= newest:
            return None
        path = folder / "nbformat.v4.schema.json"   # newer than we know: nbformat's latest
    try:
        import fastjsonschema   # nbformat's own dependency, so installed wherever it is
    except ImportError:
        return None
    return fastjsonschema.compile(json.loads(path.read_text(encoding="utf-8")))


def _joined(bundle):
    for key, value in list(bundle.items()):
        json_mime = key == "application/json" or (key.startswith("application/")
                                                  and key.endswith("+json"))
        if not json_mime and isinstance(value, list) and all(isinstance(v, str) for v in value):
            bundle[key] = "".join(value)


def rejoin_lines(nb):
    """What nbformat.v4.rwbase.rejoin_lines does: sources and outputs as single strings."""
    for cell in nb.cells:
        if isinstance(cell.get("source"), list):
            cell.source = "".join(cell.source)
        for attachment in cell.get("attachments", {}).values():
            _joined(attachment)
        if cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                kind = output.get("output_type", "")
                if kind in ("execute_result", "display_data"):
                    _joined(output.get("data", {}))
                elif kind and isinstance(output.get("text", ""), list):
                    output.text = "".join(output.text)
    return nb


def read_v4(raw):
    """The notebook as nbformat.reads(..., as_version=4) + validate give it; None when only
    nbformat itself can say (not v4, invalid, or an unknown schema)."""
    minor = raw.get("nbformat_minor")
    if raw.get("nbformat") != 4 or type(minor) is not int:
        return None
    validator = schema_validator(minor)
    if validator is None:
        return None
    try:   # in nbformat's order: read (join, strip transient values), then validate
        nb = rejoin_lines(to_node(raw))
        for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
            nb.metadata.pop(key, None)
        for cell in nb.cells:
            cell.metadata.pop("trusted", None)
        if minor >= 5:   # as nbformat's validate: missing ids added, repeated ones replaced
            seen = set()
            for cell in nb.cells:
                if "id" not in cell or cell["id"] in seen:
                    cell["id"] = uuid.uuid4().hex[:8]
                seen.add(cell["id"])
        validator(nb)
    except Exception:   # a schema error or an odd structure: nbformat words the reason
        return None
    return nb
