"""A BRUTE-style upload: received (archived, logged, checked), then graded and recorded.

Order matters: the bytes are archived and flushed before anything else looks at them, so a
rejected, refused, crashed or killed upload is never lost; grading runs outside the
student's lock (attempts grade in parallel) and is record.py's job, which the web service
leaves to its workers and `gradekit upload` does at once.  Who grades is not decided here:
the caller's grader (gradekit.dispatch) does, and a warm server runs this whole procedure
in its worker.
"""
import hashlib
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePosixPath

from .states import Status
from . import table as attempts
from .table import Attempt
from .record import grade_attempt
from ..course.config import load_policy
from ..course.policy import utc_now
from ..errors import Exit
from .storage import append_json_line, locked, read_json_lines, write_new
from ..submissions.load import Rejected, load_bytes
from ..submissions.nbgrader_copy import place

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
ARCHIVED_SUFFIXES = (".ipynb", ".py", ".zip")


@dataclass
class Received:
    """An archived and logged upload: `outcome` is set when it was rejected or refused,
    else it waits for grading as attempt `number` (its Submission already loaded)."""

    number: int
    archive: str                    # relative to the course root
    outcome: dict | None = None
    submission: object = None
    timing: dict = field(default_factory=dict)


def upload(course, assignment, student, filename, data, *, grader):
    """The whole upload at once; returns {"code", "json", "text"} (never raises for bad input).

    grader: grades the attempt (gradekit.dispatch; call its upload() rather than this).
    Raises RuntimeError (the attempt logged as "error", no upload used up) when our
    grading infrastructure failed.
    """
    received = receive(course, assignment, student, filename, data)
    if received.outcome is not None:
        return received.outcome
    return grade_attempt(course, assignment, student, received.number, grader=grader,
                         loaded=received.submission, last_try=True, timing=received.timing)


def receive(course, assignment, student, filename, data) -> Received:
    """Archive and log the upload, then apply the course policy and load it; no grading.

    What the web service does before it answers; a worker grades the attempt later
    (record.grade_attempt).  Loading parses the file (notebook JSON, a zip's members) but
    runs none of it.
    """
    received = utc_now()
    began = time.monotonic()
    policy = load_policy(course, assignment)
    valid_id = bool(STUDENT_ID.match(student or "")) and ".." not in student
    folder = course.root / "uploads" / (student if valid_id else "_invalid-student") / assignment
    with locked(folder / ".lock"):
        log = read_json_lines(folder / "attempts.jsonl")
        earlier = [r for r in log if r["event"] == "received"]
        outcome = {r["attempt"]: r["event"] for r in log if r["event"] in ("refused", "error")}
        used = policy.uploads_used([outcome.get(r["attempt"]) for r in earlier])
        archive = write_new(folder / archive_name(received, data, filename), data)
        entry = {"event": "received", "time": received.isoformat(), "attempt": len(earlier) + 1,
                 "filename": filename, "sha256": sha256(data), "archive": archive.name,
                 "student": student if valid_id else repr(student)[:80]}
        append_json_line(folder / "attempts.jsonl", entry)
        archived = time.monotonic()
        state = Received(entry["attempt"], str(archive.relative_to(course.root)))
        if not valid_id:
            state.outcome = turn_away(folder, entry, Exit.USAGE, f"invalid student id "
                                      f"{student!r}: use letters, digits, '.', '_' or '-'",
                                      assignment)
            return state
        row = Attempt(assignment, student, entry["attempt"], filename, state.archive,
                      entry["time"], Status.QUEUED)
        try:
            refusal = refuse(policy, [a for a, uses in zip(earlier, used) if uses], received)
            if refusal:
                state.outcome = turn_away(folder, entry, Exit.REFUSED, refusal, assignment)
                attempts.add(course, replace(row, status=Status.REFUSED, reason=refusal))
                return state
            try:
                state.submission = load_bytes(filename, data,
                                              **course.loading_options(assignment))
            except Rejected as exc:
                reason = f"upload rejected: {exc}"
                state.outcome = turn_away(folder, entry, Exit.USAGE, reason, assignment)
                attempts.add(course, replace(row, status=Status.REJECTED, reason=reason))
                return state
            if policy.counts == "latest":   # placed before grading: a killed grading can be redone
                place(course, assignment, student, state.submission, received)
            attempts.add(course, row)
        except Exception as exc:   # ours (a bug, the database down): the bytes stay archived,
            append_json_line(folder / "attempts.jsonl", {   # and "error" counts against no limit
                "event": "error", "attempt": row.number, "archive": entry["archive"],
                "reason": f"receiving failed: {type(exc).__name__}: {exc}".splitlines()[0]})
            raise
    state.timing = {"began": began, "archive": archived - began,
                    "load": time.monotonic() - archived}
    return state


def turn_away(folder, entry, code, reason, assignment):
    """Log a rejection or refusal (the archive already holds the bytes) and report it."""
    append_json_line(folder / "attempts.jsonl", {
        "event": "rejected" if code == Exit.USAGE else "refused",
        "attempt": entry["attempt"], "archive": entry["archive"], "reason": reason})
    report = {"assignment": assignment, "status": Status.REJECTED, "error": reason}
    return {"code": code, "json": report, "text": f"{assignment}: {reason}"}


def refuse(policy, accepted, now):
    """Why the policy refuses this upload after the `accepted` earlier ones, or None."""
    if policy.max_uploads and len(accepted) >= policy.max_uploads:
        return f"upload refused: the limit of {policy.max_uploads} uploads is reached"
    if accepted and policy.min_interval_s:
        waited = (now - datetime.fromisoformat(accepted[-1]["time"])).total_seconds()
        if waited < policy.min_interval_s:
            return (f"upload refused: wait {policy.min_interval_s - waited:.0f} s more "
                    f"(at most one upload per {policy.min_interval_s:g} s)")
    return None


def archive_name(received, data, filename):
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in ARCHIVED_SUFFIXES else ".upload"
    return f"{received.strftime('%Y%m%dT%H%M%S.%fZ')}-{sha256(data)[:12]}{suffix}"


def sha256(data):
    return hashlib.sha256(data).hexdigest()
