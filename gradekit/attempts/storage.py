"""Durable, concurrent-safe file writes for the grading server (archive, logs, locks)."""
import contextlib
import fcntl
import json
import os
from pathlib import Path


@contextlib.contextmanager
def locked(path):
    """Hold an exclusive flock on `path` (created if needed) for the block."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sync_dir(folder):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new(path, data: bytes) -> Path:
    """Write bytes to a file that must not exist yet, flushed to disk with its directory entry.

    O_EXCL: an archived upload is never overwritten; a clash gets a -2, -3... suffix.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate, number = path, 1
    while True:
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            break
        except FileExistsError:
            number += 1
            candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    _sync_dir(candidate.parent)
    return candidate


def append_json_line(path, record: dict):
    """Append one JSON line and fsync (callers hold a lock when order matters)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_json_lines(path):
    """All records of a JSON-lines file; a torn last line (crash mid-write) is skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def write_replace(path, text: str):
    """Replace a file atomically (write a temp file, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def beside(course, archive, suffix):
    """A file written for an archived upload, named after it: `<archive stem><suffix>`
    (.report.json, .results.json, .artifacts.json, .html: the feedback page)."""
    stem = (course.root / archive).with_suffix("")
    return stem.with_name(stem.name + suffix)
