"""The JSON API (pinned: scripts and outside checks use exactly these paths and fields).

    POST /api/assignments/{A}/attempts        multipart field "file" -> 202 queued
    GET  /api/assignments/{A}/attempts/{n}    the caller's attempt n (+ "manual" when counted
                                              and a human-graded question is published)
    GET  /api/assignments/{A}/attempts        the caller's attempts, oldest first
    GET  /api/instructor/{A}/grades           instructors: one row per student
Every call needs `Authorization: Bearer TOKEN`; cookies are never accepted here, so no
other site can make a signed-in browser call the API (no CSRF token needed).
"""
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..attempts.states import Status
from ..attempts import table as attempts
from .auth import bearer_user
from .intake import assignment_of, read_upload, submit_upload, upload_form
from .views import attempt_json, counted_feedback, grades
from ..errors import Exit


async def post_attempt(request):
    user = bearer_user(request)
    assignment = assignment_of(request)
    async with upload_form(request) as form:
        filename, data = await read_upload(form)
    received = await submit_upload(request, assignment, user.id, filename, data)
    url = f"/api/assignments/{assignment}/attempts/{received.number}"
    if received.outcome is not None:   # archived and logged, but not to be graded
        refused = received.outcome["code"] == Exit.REFUSED
        return JSONResponse({"attempt": received.number,
                             "status": Status.REFUSED if refused else Status.REJECTED,
                             "error": received.outcome["json"]["error"], "url": url},
                            429 if refused else 422)
    return JSONResponse({"attempt": received.number, "status": Status.QUEUED, "url": url}, 202)


def get_attempt(request):
    user = bearer_user(request)
    assignment = assignment_of(request)
    row = attempts.get(request.app.state.course, assignment, user.id,
                       request.path_params["number"])
    if row is None:
        raise HTTPException(404, "no such attempt of yours")
    answer = attempt_json(row)
    manual = counted_feedback(request.app.state.course, row)
    if manual is not None:
        answer["manual"] = manual
    return JSONResponse(answer)


def list_attempts(request):
    user = bearer_user(request)
    assignment = assignment_of(request)
    rows = attempts.listing(request.app.state.course, assignment, user.id)
    return JSONResponse([attempt_json(r) for r in sorted(rows, key=lambda r: r.number)])


def instructor_grades(request):
    user = bearer_user(request)
    if user.role != "instructor":
        raise HTTPException(403, "instructors only")
    return JSONResponse(grades(request.app.state.course, assignment_of(request)))


routes = [
    Route("/api/assignments/{assignment}/attempts", post_attempt, methods=["POST"]),
    Route("/api/assignments/{assignment}/attempts", list_attempts, methods=["GET"]),
    Route("/api/assignments/{assignment}/attempts/{number:int}", get_attempt),
    Route("/api/instructor/{assignment}/grades", instructor_grades),
]
