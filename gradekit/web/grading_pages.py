"""The instructor's grading by question: the manual questions (progress, publishing) and one
question's answers in group order with the rubric, keyboard shortcuts and anonymous mode.

Every decision (which attempt counts, grouping, scoring, who may file a regrade request) is
gradekit.manual's: these pages show its answers and forward the forms (grading_forms.py).
Instructors only (students 403, like every page under /instructor).
"""
import base64
import hashlib
import hmac

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..attempts import table as attempts
from ..manual import book, plots, questions as manual
from .auth import course_secret
from .instructor import INSTRUCTOR
from .intake import assignment_of
from .render import render, signed_in

ANONYMOUS = "grading_anonymous"   # session key; grading is anonymous until it is turned off
NOTE = "grading_note"             # session key: what the last form did, shown once


def question_of(request):
    """The path's manual question; 404 for any other id."""
    try:
        return manual.question(request.app.state.course, assignment_of(request),
                               request.path_params["question"])
    except KeyError:
        raise HTTPException(404, "no such question") from None


def anonymous(request) -> bool:
    return request.session.get(ANONYMOUS, True)


def student_key(course, assignment, student) -> str:
    """An answer's name in the page and its forms: keyed by the course secret, so it says
    nothing about who wrote the answer, and stable, so a form posted after new attempts
    arrived still grades the answer it showed."""
    return hmac.new(course_secret(course).encode(), f"{assignment}/{student}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def keyed(course, assignment, qid, names) -> tuple:
    """(the answer rows of question `qid` in group order, its groups); each row gains "key"
    and "number" (1..N in the order of the keys: stable, and unrelated to names)."""
    rows, groups = book.grouped_answers(course, assignment, qid, names=names)
    for r in rows:
        r["key"] = student_key(course, assignment, r["student"])
    numbers = {key: n for n, key in enumerate(sorted(r["key"] for r in rows), 1)}
    for r in rows:
        r["number"] = numbers[r["key"]]
    return rows, groups


def student_of_key(course, assignment, key):
    """The student whose answers are keyed `key` (any student with an attempt), or None."""
    students = {r.student for r in attempts.listing(course, assignment)}
    return next((s for s in students if student_key(course, assignment, s) == key), None)


def shown(row, names) -> dict:
    """What the page may show of an answer row: without the student's id and name unless
    names are on, under "label" ("Student 7", or "Alice Doe (alice)")."""
    view = {k: v for k, v in row.items() if k not in ("student", "name")}
    view["label"] = (f"{row.get('name') or row['student']} ({row['student']})"
                     if names else f"Student {row['number']}")
    return view


def focus_of(rows, wanted):
    """Index of the row keyed `wanted`, else of the first ungraded one, else 0."""
    keys = [r["key"] for r in rows]
    if wanted in keys:
        return keys.index(wanted)
    return next((i for i, r in enumerate(rows) if r["score"] is None), 0)


def next_ungraded(rows, at):
    """Index of the next ungraded answer after `at` (going round), or None."""
    order = list(range(at + 1, len(rows))) + list(range(at))
    return next((i for i in order if rows[i]["score"] is None), None)


def data_urls(course, assignment, row, question) -> list:
    """(caption, data: URL) of a task answer's pictures, drawn from its attempt's numbers."""
    attempt = attempts.get(course, assignment, row["student"], row["attempt"])
    if attempt is None:
        return []
    return [(caption, "data:image/png;base64," + base64.b64encode(png).decode())
            for caption, png in plots.pictures(course, attempt, question)]


def open_requests(requests) -> dict:
    """{student: open regrade requests}."""
    counts = {}
    for r in requests:
        if r.get("status") == "open":
            counts[r["student"]] = counts.get(r["student"], 0) + 1
    return counts


def pop_note(request):
    return request.session.pop(NOTE, None)


async def questions_page(request):
    signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    rows = await run_in_threadpool(book.progress, course, assignment)
    return render(request, "grading.html", assignment=assignment, rows=rows,
                  anonymous=anonymous(request), note=pop_note(request))


async def question_page(request):
    signed_in(request, INSTRUCTOR)
    course, assignment, question = request.app.state.course, assignment_of(request), \
        question_of(request)
    names = not anonymous(request)

    def collect():
        rows, grouped = keyed(course, assignment, question.id, names)
        at = focus_of(rows, request.query_params.get("a"))
        focus = rows[at] if rows else None
        requests = book.regrades(course, assignment, question.id)
        waiting = open_requests(requests)
        groups = {g.number: g for g in grouped}
        pictures = data_urls(course, assignment, focus, question) \
            if focus and question.kind == "task" else []
        mine = [r for r in requests if focus and r["student"] == focus["student"]]
        listed = [dict(shown(r, names), requests=waiting.get(r["student"], 0)) for r in rows]
        return listed, at, groups, pictures, [shown_request(r) for r in mine]

    listed, at, groups, pictures, requests = await run_in_threadpool(collect)
    rubric = await run_in_threadpool(book.rubric, course, assignment, question.id)
    later = next_ungraded(listed, at) if listed else None
    return render(request, "grading_question.html", assignment=assignment, question=question,
                  rows=listed, at=at, focus=listed[at] if listed else None, groups=groups,
                  pictures=pictures, requests=requests, rubric=rubric,
                  titles={item["id"]: item["title"] for item in rubric["items"]},
                  previous=listed[at - 1]["key"] if at > 0 else None,
                  next=listed[at + 1]["key"] if at + 1 < len(listed) else None,
                  ungraded=listed[later]["key"] if later is not None else None,
                  graded=sum(r["score"] is not None for r in listed),
                  anonymous=not names, note=pop_note(request))


def shown_request(filed) -> dict:
    """A regrade request as the grading page shows it: without the student's id (the page
    shows it beside the answer, under the answer's label)."""
    return {k: v for k, v in filed.items() if k != "student"}


async def rubrics_json(request):
    """Every question's rubric of the assignment, to import next year."""
    signed_in(request, INSTRUCTOR)
    assignment = assignment_of(request)
    data = await run_in_threadpool(book.export_rubrics, request.app.state.course, assignment)
    return JSONResponse(data, headers={
        "Content-Disposition": f'attachment; filename="rubrics-{assignment}.json"'})


routes = [
    Route("/instructor/{assignment}/grading", questions_page),
    Route("/instructor/{assignment}/grading/rubrics.json", rubrics_json),
    Route("/instructor/{assignment}/grading/{question}", question_page),
]
