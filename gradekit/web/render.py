"""What every page shares: rendering a template, the signed-in user, an attempt's files."""
from datetime import datetime, timezone

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse

from ..attempts.states import Status
from ..attempts import table as attempts
from ..attempts.storage import beside
from .auth import csrf_token, session_user
from .intake import assignment_of
from .manual_feedback import student_view

# A graded attempt's feedback page is drawn just after its report is shown (record.py):
# meanwhile the attempt page says so and reloads itself, and /feedback answers 202; a page
# still missing after this long will never come (its worker was lost).
DRAWING_PATIENCE_S = 120
DRAWING = ("<!DOCTYPE html><meta charset='utf-8'><meta http-equiv='refresh' content='1'>"
           "<p style='font-family:sans-serif'>Drawing your plots…</p>")
# The feedback page is our own HTML, but it shows what the student's code printed: it runs
# nothing, loads nothing from elsewhere, and cannot reach the service's cookies.
FEEDBACK_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def render(request, name, **context):
    context.update(user=getattr(request.state, "user", None), csrf=csrf_token(request))
    return request.app.state.templates.TemplateResponse(request, name, context)


def to_sign_in(request):
    return RedirectResponse("/signin", 303)


def signed_in(request, role=None):
    """The session's user (401 → the sign-in page); 403 when `role` is required and lacking."""
    user = session_user(request)
    if user is None:
        raise HTTPException(401, "sign in first")
    if role and user.role != role:
        raise HTTPException(403, "instructors only")
    request.state.user = user
    return user


def own_attempt(request, student=None):
    """The attempt named by the path, of the signed-in student (or, for an instructor, of
    `student`); 404 for anything else, whoever else's it may be."""
    assignment = assignment_of(request)
    owner = student or request.state.user.id
    row = attempts.get(request.app.state.course, assignment, owner,
                       request.path_params["number"])
    if row is None:
        raise HTTPException(404, "no such attempt")
    return row


def attempt_view(request, row, notice=None, status=200):
    """The attempt page (a student's, or one an instructor looks at), with `notice` (a
    one-line answer to the student's last form) above the human grading."""
    page = render(request, "attempt.html", row=row, report=row.report_json(),
                  drawing=plots_pending(request, row), base=request.url.path.removesuffix(
                      "/regrade-request"),
                  manual=student_view(request.app.state.course, row), notice=notice)
    page.status_code = status
    return page


def feedback_path(request, row):
    return beside(request.app.state.course, row.archive, ".html")


def plots_pending(request, row) -> bool:
    """Graded moments ago, and its feedback page is still being drawn?"""
    if row.status != Status.GRADED or feedback_path(request, row).is_file():
        return False
    try:
        graded = datetime.fromisoformat(row.updated)
    except (TypeError, ValueError):
        return False
    return (datetime.now(timezone.utc) - graded).total_seconds() < DRAWING_PATIENCE_S


def attempt_feedback(request, student=None):
    signed_in(request, "instructor" if student else None)
    row = own_attempt(request, student)
    page = feedback_path(request, row)
    if plots_pending(request, row):   # our static text: it may reload itself
        return HTMLResponse(DRAWING, 202, headers={"Retry-After": "1"})
    if row.status != Status.GRADED or not page.is_file():
        raise HTTPException(404, "no feedback page (yet)")
    return FileResponse(page, media_type="text/html",
                        headers={"Content-Security-Policy": FEEDBACK_POLICY})


def attempt_file(request, student=None):
    signed_in(request, "instructor" if student else None)
    row = own_attempt(request, student)
    return FileResponse(request.app.state.course.root / row.archive,
                        media_type="application/octet-stream",
                        filename=row.filename, content_disposition_type="attachment")
