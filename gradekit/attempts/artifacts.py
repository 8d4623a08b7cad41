"""The plain numbers the graders kept for a graded attempt (`result.artifacts`), on disk.

Written beside the attempt's report (`<archive stem>.artifacts.json`, record.write_books) so
that its pictures can be drawn again later, for grading by question (gradekit/manual/plots.py),
without grading again.  Arrays as dispatch/jobs.py encodes them; one file, replaced
atomically, so writing it twice is harmless.
"""
import json
import logging

from ..dispatch.jobs import decode_arrays, encode_arrays
from .storage import write_replace

log = logging.getLogger("gradekit.artifacts")
SUFFIX = ".artifacts.json"
# A student's defaults may train for a million epochs: a loss history of 8 MB as JSON text.
# Beyond this size the largest entries are left out (their pictures say they are missing).
MAX_BYTES = 4_000_000


def write(path, artifacts: dict) -> None:
    """Write {"artifacts": encoded, "dropped": [names left out: not plain JSON numbers, or
    over MAX_BYTES]}; never fails the recording over the numbers themselves."""
    encoded, dropped = {}, []
    for name, value in artifacts.items():
        try:
            encoded[name] = json.dumps(encode_arrays(value))
        except (TypeError, ValueError):   # e.g. complex numbers a student's code returned
            dropped.append(name)
    for name in sorted(encoded, key=lambda n: (-len(encoded[n]), n)):
        if sum(len(text) for text in encoded.values()) <= MAX_BYTES:
            break
        dropped.append(name)
        del encoded[name]
    if dropped:
        log.warning("%s: artifacts %s left out (not plain numbers, or over %d bytes)", path,
                    dropped, MAX_BYTES)
    body = ", ".join(f"{json.dumps(name)}: {text}" for name, text in sorted(encoded.items()))
    write_replace(path, f'{{"artifacts": {{{body}}}, "dropped": {json.dumps(dropped)}}}\n')


def read(path) -> dict | None:
    """The artifacts written to `path` (numpy arrays again); None when there is no such file
    (an attempt graded before they were kept) or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return decode_arrays(data["artifacts"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("%s: unreadable artifacts", path, exc_info=True)
        return None
