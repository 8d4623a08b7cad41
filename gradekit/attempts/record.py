"""Grade a received attempt and record it, safe to run twice: how every attempt is graded.

A job names an attempt (assignment, student, number), never code; any transport may deliver
it more than once (a worker lost after grading, before acknowledging; a service restarted
mid-grading).  So every step is idempotent: the gradebook row and the report files are
replaced with the same values, the "graded" event is appended only if the attempts log
lacks it, and an attempt already graded is answered from the database without grading.

The student waits for the grade, not for our books: the attempt's row turns "graded" (with
its report, `recorded` False) first, then the gradebook, the report files and the attempts
log are written and the row marked recorded, then the feedback page is drawn.  A worker lost
in between leaves an "unrecorded" attempt, which the queues grade again to finish recording
(attempts.to_grade): without changing what the student sees, as a grading gives the same
verdicts every time.
"""
import json
import time
from datetime import datetime
from typing import NamedTuple

from .states import Status
from . import table as attempts, artifacts, gradebook
from ..errors import Exit
from ..manual import ledger
from ..course.config import load_policy
from ..reports.render import attempt_tail, to_gradescope, to_text
from .storage import append_json_line, beside, locked, read_json_lines, write_replace
from ..submissions.load import Rejected, load_bytes
from ..submissions.nbgrader_copy import place

MAX_TRIES = 3   # gradings our infrastructure failed before the attempt is marked "error"


class AttemptNotFound(LookupError):
    """No received attempt has this identity."""


def grade_attempt(course, assignment, student, number, *, grader, loaded=None,
                  last_try=False, regrade=False, timing=None) -> dict:
    """Grade attempt `number` of `student` and record it: {"code", "json", "text"}.

    grader: how (gradekit.dispatch); loaded: the Submission of the archive, when the caller
    has it; last_try: an infrastructure failure marks the attempt "error" at once (else it
    goes back to "queued" until MAX_TRIES); regrade: grade a graded attempt again.
    Raises RuntimeError when our infrastructure failed (the attempt is then not charged).
    """
    timing = dict(timing or {}, began=(timing or {}).get("began", time.monotonic()))
    row = attempts.get(course, assignment, student, number)
    if row is None:
        raise AttemptNotFound(f"no attempt {number} of {student!r} for {assignment}")
    finishing = row.unrecorded and not regrade   # shown, not in our books: grade to record
    if row.status in (Status.REJECTED, Status.REFUSED) or (row.status in attempts.FINAL
                                                           and not regrade and not finishing):
        return stored_outcome(row)
    if not finishing:   # the student keeps seeing the grade while it is recorded again
        attempts.set_status(course, row.key, Status.GRADING, count_try=True)
    data = (course.root / row.archive).read_bytes()
    if loaded is None:
        try:
            loaded = load_bytes(row.filename, data, **course.loading_options(assignment))
        except Rejected as exc:   # the loading rules changed since it was received
            reason = f"upload rejected: {exc}"
            attempts.set_status(course, row.key, Status.REJECTED, reason=reason)
            return stored_outcome(attempts.get(course, *row.key))
    loaded_at = time.monotonic()
    try:
        result = grader.grade(row.filename, data, loaded=loaded, student=student,
                              attempt=number, archive=row.archive)
    except RuntimeError as exc:   # ours (errors.OurFailure), not the student's: no score
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if finishing:   # the grade stands; the next recovery tries again
            raise
        if last_try or row.tries + 1 >= MAX_TRIES or not getattr(exc, "retry", True):
            give_up(course, row, reason)
        else:
            attempts.set_status(course, row.key, Status.QUEUED, reason=reason)
        raise
    timing["grade"] = time.monotonic() - loaded_at
    return record(course, row, result, loaded, regrade=regrade, timing=timing)


def give_up(course, row, reason):
    """Our infrastructure failed this attempt for the last time: "error" in the database and
    the attempts log, for the instructor; no score, and no upload used up unless the student
    had more such attempts than the policy's free_errors (Policy.uploads_used)."""
    log = (course.root / row.archive).parent / "attempts.jsonl"
    with locked(log.parent / ".lock"):
        earlier = {r["attempt"] for r in read_json_lines(log)
                   if r["event"] == "error" and r["attempt"] != row.number}
        reason = f"{reason} ({load_policy(course, row.assignment).charges_error(len(earlier))})"
        append_json_line(log, {"event": "error", "attempt": row.number,
                               "archive": row.archive.rsplit("/", 1)[-1], "reason": reason})
    attempts.set_status(course, row.key, Status.ERROR, reason=reason)


def record(course, row, result, submission, *, regrade=False, timing) -> dict:
    """Record a graded attempt: the row the student waits for first (publish), then the
    gradebook, report files and attempts log (write_books), then the feedback page."""
    step = time.monotonic()
    published = publish(course, row, result)
    timing["recorded"] = time.monotonic() - step
    write_books(course, row, result, submission, published, regrade=regrade, timing=timing)
    report, penalty = published.report, published.penalty
    step = time.monotonic()
    # A process lost before the page is drawn leaves it undrawn (web/render.py says so).
    feedback_page = write_feedback_page(result, course, beside(course, row.archive, ".html"))
    done = time.monotonic()
    timing["feedback"] = done - step
    # Seconds per stage, for benchmarks; in the returned (printed) report only, since the
    # report file is written before the last stages end.  "grading": GradingResult.timing.
    report = dict(report, timing={**{k: v for k, v in timing.items() if k != "began"},
                                  "total": done - timing["began"], "grading": result.timing})
    text = to_text(result) + attempt_tail(
        row.number, row.archive, penalty,
        feedback_page.relative_to(course.root) if feedback_page else None)
    return {"code": Exit.DONE, "json": report, "text": text}


class Published(NamedTuple):
    """What publish decided, for write_books: the report as stored, whether it counts, and the
    assignment's policy it was decided by."""

    report: dict
    counts: bool
    penalty: float
    policy: object


def publish(course, row, result) -> Published:
    """The attempt's row turns "graded" with its report (`recorded` False): what the web
    pages and the API answer.  Whether it counts is decided and kept (counted.json) at
    the same moment, under the student's lock, so two attempts finishing together agree."""
    policy = load_policy(course, row.assignment)
    folder = (course.root / row.archive).parent
    penalty = policy.penalty(datetime.fromisoformat(row.received), result.max_score)
    report = result.to_json()
    with locked(folder / ".lock"):
        counts = policy.replaces(counted(folder), row.number, result.score - penalty)
        if counts:
            write_replace(folder / "counted.json", json.dumps(
                {"attempt": row.number, "score": result.score - penalty}))
        report["upload"] = {"student": row.student, "attempt": row.number,
                            "archive": row.archive, "received": row.received,
                            "counts": counts, "late_penalty": penalty}
        attempts.set_status(course, row.key, Status.GRADED, reason=None, score=result.score,
                            max_score=result.max_score, late_penalty=penalty, counts=counts,
                            report=json.dumps(report), recorded=False)
    return Published(report, counts, penalty, policy)


def write_books(course, row, result, submission, published, *, regrade=False, timing):
    """Write a published attempt into our books: the gradebook (and, for "best", submitted/)
    while it is still the counted attempt, the report files, the attempts log's event;
    then mark it recorded.  Each step is safe to repeat."""
    folder = (course.root / row.archive).parent
    received = datetime.fromisoformat(row.received)
    step = time.monotonic()
    with locked(folder / ".lock"):
        # a later attempt may have been published since and taken its place: then that one's
        # own write_books writes the gradebook, and this one must not overwrite it
        if published.counts and (counted(folder) or {}).get("attempt") == row.number:
            gradebook.record(course, row.assignment, row.student, result, timestamp=received,
                             penalty=published.penalty)
            # human grades apply to this attempt only where its answers are the graded ones
            ledger.sync_recorded(course, row.assignment, row.student)
            if published.policy.counts == "best":
                place(course, row.assignment, row.student, submission, received)
    step, timing["gradebook"] = time.monotonic(), time.monotonic() - step
    write_replace(beside(course, row.archive, ".report.json"),
                  json.dumps(published.report, indent=2))
    write_replace(beside(course, row.archive, ".results.json"),
                  json.dumps(to_gradescope(result), indent=2))
    artifacts.write(beside(course, row.archive, artifacts.SUFFIX), result.artifacts)
    with locked(folder / ".lock"):
        event = {"event": "regraded" if regrade else "graded", "attempt": row.number,
                 "archive": (course.root / row.archive).name, "score": result.score,
                 "max_score": result.max_score, "late_penalty": published.penalty,
                 "counts": published.counts}
        logged = any(r["event"] == "graded" and r["attempt"] == row.number
                     for r in read_json_lines(folder / "attempts.jsonl"))
        if regrade or not logged:
            append_json_line(folder / "attempts.jsonl", event)
    attempts.mark_recorded(course, row.key)
    timing["reports"] = time.monotonic() - step


def stored_outcome(row) -> dict:
    """The outcome of an attempt that needs no grading (rejected, refused, graded, error)."""
    if row.status == Status.GRADED:
        report = row.report_json()
        return {"code": Exit.DONE, "json": report,
                "text": f"{row.assignment}: {report['score']:.2f} / {report['max_score']:.2f}"
                        f" points (attempt {row.number}, graded before)"}
    if row.status == Status.ERROR:
        raise RuntimeError(row.reason or "grading failed")
    code = Exit.REFUSED if row.status == Status.REFUSED else Exit.USAGE
    return {"code": code, "json": {"assignment": row.assignment, "status": Status.REJECTED,
                                   "error": row.reason},
            "text": f"{row.assignment}: {row.reason}"}


def counted(folder) -> dict | None:
    """The student's counted attempt, {"attempt", "score"} (counted.json); None before one."""
    try:
        return json.loads((folder / "counted.json").read_text())
    except FileNotFoundError:
        return None


def write_feedback_page(result, course, path):
    """The feedback HTML with plots, where the feedback module is available."""
    try:
        from ..reports.feedback import write_feedback
    except ImportError:
        return None
    return write_feedback(result, course, path)

