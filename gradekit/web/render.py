"""What every page shares: rendering a template, the signed-in user, an attempt's files."""
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, RedirectResponse

from .. import attempts
from .auth import csrf_token, session_user
from .intake import assignment_of

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


def attempt_feedback(request, student=None):
    signed_in(request, "instructor" if student else None)
    row = own_attempt(request, student)
    stem = (request.app.state.course.root / row.archive).with_suffix("")
    page = stem.with_name(stem.name + ".html")
    if row.status != "graded" or not page.is_file():
        raise HTTPException(404, "no feedback page (yet)")
    return FileResponse(page, media_type="text/html",
                        headers={"Content-Security-Policy": FEEDBACK_POLICY})


def attempt_file(request, student=None):
    signed_in(request, "instructor" if student else None)
    row = own_attempt(request, student)
    return FileResponse(request.app.state.course.root / row.archive,
                        media_type="application/octet-stream",
                        filename=row.filename, content_disposition_type="attachment")


