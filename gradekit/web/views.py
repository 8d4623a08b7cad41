"""What the pages and the JSON API show, computed once for both from the attempts table."""
from datetime import datetime

from ..attempts.states import Status
from ..attempts import table as attempts
from ..course.config import load_policy
from ..manual.book import feedback, manual_totals
from ..manual.questions import manual_max

PUBLIC_REPORT_KEYS = ("score", "max_score", "tests", "upload", "load", "sandbox", "submission")


def attempt_json(row) -> dict:
    """An attempt as the API answers it: identity and status, the report's fields when
    graded, the one-line reason when rejected, refused or failed."""
    answer = {"attempt": row.number, "status": row.status, "filename": row.filename,
              "received": row.received,
              "url": f"/api/assignments/{row.assignment}/attempts/{row.number}"}
    if row.status == Status.GRADED:
        report = row.report_json()
        answer.update({key: report[key] for key in PUBLIC_REPORT_KEYS if key in report})
    elif row.status in (Status.REJECTED, Status.REFUSED, Status.ERROR):
        answer["error"] = row.reason
    return answer


def assignment_summary(course, assignment, student) -> dict:
    """A student's view of one assignment: deadline, counted points, uploads used and left."""
    policy = load_policy(course, assignment)
    rows = attempts.listing(course, assignment, student)
    used = policy.uploads_spent([r.status for r in rows])
    best = policy.counted(rows)
    return {"name": assignment, "deadline": _when(policy.deadline), "attempts": rows,
            "counted": best, "points": best.points if best else None,
            "max_score": best.max_score if best else None, "used": used,
            "left": max(policy.max_uploads - used, 0) if policy.max_uploads else None,
            "pending": any(r.status in attempts.PENDING for r in rows)}


def grades(course, assignment) -> list:
    """One row per student with an attempt: counted score, attempts, lateness, the human
    grades' sum (manual_score: ungraded questions count 0) and maximum, and the total."""
    policy = load_policy(course, assignment)
    manual, most = manual_totals(course, assignment), manual_max(course, assignment)
    by_student = {}
    for row in attempts.listing(course, assignment):
        by_student.setdefault(row.student, []).append(row)
    table = []
    for student, rows in sorted(by_student.items()):
        best = policy.counted(rows)
        score = round(best.points, 4) if best else None
        manual_score = manual.get(student)
        table.append({
            "student": student,
            "score": score,
            "max_score": best.max_score if best else None,
            "attempt": best.number if best else None,
            "late_penalty": best.late_penalty if best else None,
            "late": bool(best and policy.deadline and
                         datetime.fromisoformat(best.received) > policy.deadline),
            "attempts": len(rows),
            "uploads_used": policy.uploads_spent([r.status for r in rows]),
            "pending": sum(r.status in attempts.PENDING for r in rows),
            "errors": sum(r.status == Status.ERROR for r in rows),
            "last_upload": rows[-1].received,
            "manual_score": manual_score, "manual_max": most,
            "total": None if score is None else round(score + (manual_score or 0.0), 4)})
    return table


def counts_now(course, row, policy=None) -> bool:
    """Is attempt `row` its student's counted attempt (the one graded by hand)?"""
    policy = policy or load_policy(course, row.assignment)
    counted = policy.counted(attempts.listing(course, row.assignment, row.student))
    return counted is not None and counted.number == row.number


def counted_feedback(course, row, policy=None) -> list | None:
    """The human grades of published questions shown with attempt `row`: only the counted
    attempt has them (grades belong to its answers); None before anything is published."""
    if not counts_now(course, row, policy):
        return None
    return feedback(course, row.assignment, row.student) or None


def pass_rates(course, assignment) -> list:
    """(test name, fraction of counted attempts that passed it), in the graders' order."""
    policy = load_policy(course, assignment)
    by_student = {}
    for row in attempts.listing(course, assignment, status=(Status.GRADED,)):
        by_student.setdefault(row.student, []).append(row)
    passed, seen, order = {}, {}, []
    for rows in by_student.values():
        best = policy.counted(rows)
        for test in (best.report_json()["tests"] if best else []):
            if test["name"] not in seen:
                order.append(test["name"])
            seen[test["name"]] = seen.get(test["name"], 0) + 1
            passed[test["name"]] = passed.get(test["name"], 0) + (test["status"] == "passed")
    return [(name, passed[name] / seen[name]) for name in order]


def _when(deadline):
    return deadline.strftime("%Y-%m-%d %H:%M %Z").strip() if deadline else None
