"""The HTML pages: sign-in, a student's assignments and attempts, the instructor's views.

Every form posts a CSRF token; every page but sign-in needs a session (else: to sign-in);
a student reaches only their own attempts (anything else: 404) and no instructor page (403).
"""
import asyncio
import time

from starlette.responses import RedirectResponse
from starlette.routing import Route

from ..attempts import users
from ..course.config import load_policy
from ..submissions.load import MAX_UPLOAD_BYTES
from .auth import SIGN_IN_DELAY_S, check_csrf, client_of, session_user, sign_in
from .intake import assignment_of, read_upload, submit_upload, upload_form
from .render import (attempt_feedback, attempt_file, attempt_view, own_attempt, render,
                     signed_in, to_sign_in)
from .views import assignment_summary

def home(request):
    user = session_user(request)
    if user is None:
        return to_sign_in(request)
    return RedirectResponse("/instructor" if user.role == "instructor" else "/assignments", 303)


def sign_in_page(request):
    return render(request, "signin.html", error=None)


async def sign_in_post(request):
    began = time.monotonic()
    form = await request.form(max_files=0, max_fields=4)
    check_csrf(request, form)
    user = users.find_by_token(request.app.state.course, str(form.get("token", "")).strip())
    # the same delay for a right and a wrong token: timing tells a guesser nothing
    await asyncio.sleep(max(0.0, SIGN_IN_DELAY_S - (time.monotonic() - began)))
    if user is None:
        refusal = request.app.state.guard.wrong(client_of(request),
                                                "This token opens no account.")
        response = render(request, "signin.html", error=refusal.detail)
        response.status_code = refusal.status_code
        response.headers.update(refusal.headers or {})
        return response
    sign_in(request, user)
    return RedirectResponse("/", 303)


async def sign_out(request):
    check_csrf(request, await request.form(max_files=0, max_fields=4))
    request.session.clear()
    return to_sign_in(request)


def assignment_list(request):
    user = signed_in(request)
    course = request.app.state.course
    summaries = [assignment_summary(course, a, user.id) for a in course.assignments()]
    return render(request, "assignments.html", summaries=summaries)


def assignment_page(request):
    user = signed_in(request)
    assignment = assignment_of(request)
    summary = assignment_summary(request.app.state.course, assignment, user.id)
    return render(request, "assignment.html", a=summary, max_bytes=MAX_UPLOAD_BYTES,
                  policy=load_policy(request.app.state.course, assignment))


async def upload_post(request):
    user = signed_in(request)
    assignment = assignment_of(request)
    async with upload_form(request) as form:
        check_csrf(request, form)
        filename, data = await read_upload(form)
    received = await submit_upload(request, assignment, user.id, filename, data)
    return RedirectResponse(f"/assignments/{assignment}/attempts/{received.number}", 303)


def attempt_page(request):
    signed_in(request)
    return attempt_view(request, own_attempt(request))


routes = [
    Route("/", home),
    Route("/signin", sign_in_page),
    Route("/signin", sign_in_post, methods=["POST"]),
    Route("/signout", sign_out, methods=["POST"]),
    Route("/assignments", assignment_list),
    Route("/assignments/{assignment}", assignment_page),
    Route("/assignments/{assignment}/upload", upload_post, methods=["POST"]),
    Route("/assignments/{assignment}/attempts/{number:int}", attempt_page),
    Route("/assignments/{assignment}/attempts/{number:int}/feedback", attempt_feedback),
    Route("/assignments/{assignment}/attempts/{number:int}/file", attempt_file),
]
