"""A BRUTE-style upload, graded at once: the procedure behind `gradekit upload`.

Order matters: the bytes are archived and flushed before anything else looks at them, so a
rejected, refused, crashed or killed upload is never lost; grading runs outside the
student's lock (uploads of different attempts grade in parallel); the gradebook and
submitted/ are updated under the lock, only by the attempt that counts.  Who grades is not
decided here: the caller's grader (gradekit.dispatch) does, and a warm server runs this
whole procedure in its worker.
"""
import hashlib
import json
import re
import time
from datetime import datetime
from pathlib import PurePosixPath

import nbformat

from . import gradebook
from .policy import load_policy, utc_now
from .report import to_gradescope, to_text
from .storage import append_json_line, locked, read_json_lines, write_new, write_replace
from .submission import Rejected, load_bytes, script_units

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EXIT_GRADED, EXIT_REJECTED, EXIT_REFUSED = 0, 2, 4
ARCHIVED_SUFFIXES = (".ipynb", ".py", ".zip")


def upload(course, assignment, student, filename, data, *, grader):
    """The whole upload; returns {"code", "json", "text"} (never raises for bad input).

    grader: grades the attempt (gradekit.dispatch; call its upload() rather than this).
    """
    received = utc_now()
    began = time.monotonic()
    policy = load_policy(course, assignment)
    valid_id = bool(STUDENT_ID.match(student or "")) and ".." not in student
    folder = course.root / "uploads" / (student if valid_id else "_invalid-student") / assignment
    with locked(folder / ".lock"):
        log = read_json_lines(folder / "attempts.jsonl")
        attempts = [r for r in log if r["event"] == "received"]
        # refused uploads and those our infrastructure failed to grade use up nothing
        refused = {r["attempt"] for r in log if r["event"] in ("refused", "error")}
        archive = write_new(folder / archive_name(received, data, filename), data)
        entry = {"event": "received", "time": received.isoformat(), "attempt": len(attempts) + 1,
                 "filename": filename, "sha256": sha256(data), "archive": archive.name,
                 "student": student if valid_id else repr(student)[:80]}
        append_json_line(folder / "attempts.jsonl", entry)
        archived = time.monotonic()
        if not valid_id:
            return finish(folder, entry, EXIT_REJECTED, f"invalid student id {student!r}: "
                          "use letters, digits, '.', '_' or '-'", assignment)
        refusal = refuse(policy, [a for a in attempts if a["attempt"] not in refused], received)
        if refusal:
            return finish(folder, entry, EXIT_REFUSED, refusal, assignment)
        try:
            submission = load_bytes(filename, data, **course.loading_options(assignment))
        except Rejected as exc:
            return finish(folder, entry, EXIT_REJECTED, f"upload rejected: {exc}", assignment)
        if policy.counts == "latest":   # placed before grading: a killed grading can be redone
            place(course, assignment, student, submission, received)
    loaded = time.monotonic()
    try:
        result = grader.grade(filename, data, loaded=submission, student=student,
                              attempt=entry["attempt"],
                              archive=str(archive.relative_to(course.root)))
    except RuntimeError as exc:   # ours, not the student's: no score, no upload used up
        append_json_line(folder / "attempts.jsonl", {
            "event": "error", "attempt": entry["attempt"], "archive": archive.name,
            "reason": str(exc).splitlines()[0] if str(exc) else type(exc).__name__})
        raise
    graded = time.monotonic()
    penalty = policy.penalty(received, result.max_score)
    with locked(folder / ".lock"):
        counts = counts_now(folder, policy, entry["attempt"], result.score - penalty)
        if counts:
            gradebook.record(course, assignment, student, result, timestamp=received,
                             penalty=penalty)
            if policy.counts == "best":
                place(course, assignment, student, submission, received)
            write_replace(folder / "counted.json", json.dumps(
                {"attempt": entry["attempt"], "score": result.score - penalty}))
    recorded = time.monotonic()
    report = result.to_json()
    report["upload"] = {"student": student, "attempt": entry["attempt"],
                        "archive": str(archive.relative_to(course.root)),
                        "received": received.isoformat(), "counts": counts,
                        "late_penalty": penalty}
    stem = archive.with_suffix("")
    write_replace(stem.with_name(stem.name + ".report.json"), json.dumps(report, indent=2))
    write_replace(stem.with_name(stem.name + ".results.json"),
                  json.dumps(to_gradescope(result), indent=2))
    reported = time.monotonic()
    feedback_page = write_feedback_page(result, course, stem.with_name(stem.name + ".html"))
    append_json_line(folder / "attempts.jsonl", {
        "event": "graded", "attempt": entry["attempt"], "archive": archive.name,
        "score": result.score, "max_score": result.max_score, "late_penalty": penalty,
        "counts": counts})
    done = time.monotonic()
    # Seconds per stage, for benchmarks; in the returned (printed) report only, since the
    # report file is written before the last stages end.  "grading": GradingResult.timing.
    report["timing"] = {"archive": archived - began, "load": loaded - archived,
                        "grade": graded - loaded, "gradebook": recorded - graded,
                        "reports": reported - recorded, "feedback": done - reported,
                        "total": done - began, "grading": result.timing}
    text = to_text(result) + f"\n\n  attempt {entry['attempt']}, archived as " \
        f"{archive.relative_to(course.root)}"
    if penalty:
        text += f"\n  late: {penalty:.2f} points off"
    if feedback_page:
        text += f"\n  feedback page: {feedback_page.relative_to(course.root)}"
    return {"code": EXIT_GRADED, "json": report, "text": text}


def finish(folder, entry, code, reason, assignment):
    """Log a rejection or refusal (the archive already holds the bytes) and report it."""
    append_json_line(folder / "attempts.jsonl", {
        "event": "rejected" if code == EXIT_REJECTED else "refused",
        "attempt": entry["attempt"], "archive": entry["archive"], "reason": reason})
    report = {"assignment": assignment, "status": "rejected", "error": reason}
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


def counts_now(folder, policy, attempt, score):
    """Does this attempt replace the counted one (latest: newer attempt; best: higher score)?"""
    try:
        counted = json.loads((folder / "counted.json").read_text())
    except FileNotFoundError:
        return True
    if policy.counts == "best":
        return score > counted["score"]
    return attempt > counted["attempt"]


def archive_name(received, data, filename):
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in ARCHIVED_SUFFIXES else ".upload"
    return f"{received.strftime('%Y%m%dT%H%M%S.%fZ')}-{sha256(data)[:12]}{suffix}"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def place(course, assignment, student, submission, received):
    """submitted/ID/ASSIGNMENT/<notebook>.ipynb and timestamp.txt, where nbgrader expects them."""
    target = course.root / "submitted" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    notebook = as_notebook(course, assignment, submission)
    write_replace(target / f"{assignment}.ipynb", nbformat.writes(notebook))
    write_replace(target / "timestamp.txt", received.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


def as_notebook(course, assignment, submission):
    """The upload as the assignment's notebook: a script becomes one cell per statement,
    followed by the release's grade and answer cells (nbgrader restores and scores those)."""
    if submission.notebook is not None:
        return submission.notebook
    release = nbformat.read(course.release_dir(assignment) / f"{assignment}.ipynb", as_version=4)
    kept = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
    code = [nbformat.v4.new_code_cell(source.lstrip("\n")) for _, source in
            script_units(submission.source)]
    intro = nbformat.v4.new_markdown_cell(f"Converted from the uploaded {submission.filename}.")
    release.cells = [intro] + code + kept
    return release


def write_feedback_page(result, course, path):
    """The feedback HTML with plots, where the feedback module is available."""
    try:
        from .feedback import write_feedback
    except ImportError:
        return None
    return write_feedback(result, course, path)

