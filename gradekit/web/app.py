"""The Starlette application: routes, sessions, the size cap, errors, the grading queue."""
import contextlib
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..submissions.load import MAX_UPLOAD_BYTES
from . import (api, grading_api, grading_forms, grading_pages, instructor, pages,
               similarity_pages)
from .auth import Guard, course_secret
from .comparisons import Comparisons
from .limits import BodyLimit
from .errors import error_response

HERE = Path(__file__).parent
FORM_OVERHEAD = 64 << 10   # multipart boundaries and the other fields of an upload form
templates = Jinja2Templates(directory=HERE / "templates")


class NoStore:
    """`Cache-Control: no-store` on every answer but the static files: pages and API answers
    hold a student's attempts, scores and files, which no browser or proxy cache may keep."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)

        async def send_private(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                message = dict(message, headers=headers + [(b"cache-control", b"no-store")])
            await send(message)

        await self.app(scope, receive, send_private)


async def _http_error(request, exc):
    return error_response(request, exc)


async def _crash(request, exc):
    import logging
    logging.getLogger("gradekit.web").exception("request failed: %s", request.url.path)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "internal error (logged on the server)"}, 500)
    return PlainTextResponse("internal error (logged on the server)", 500)


def build_app(course, queue, *, secure_cookies=False) -> Starlette:
    """The service for `course`; `queue` grades received attempts (dispatch.queue_for)."""

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # Workers warm up in the background (seconds): pages and uploads are served
        # meanwhile, and the queue grades what arrived (and what a stop left) when ready.
        starter = threading.Thread(target=queue.start, name="gradekit-queue", daemon=True)
        starter.start()
        yield
        queue.close()

    app = Starlette(
        routes=api.routes + grading_api.routes + pages.routes + instructor.routes
        + similarity_pages.routes + grading_pages.routes + grading_forms.routes + [
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[
            Middleware(NoStore),
            Middleware(BodyLimit, max_bytes=MAX_UPLOAD_BYTES + FORM_OVERHEAD),
            Middleware(SessionMiddleware, secret_key=course_secret(course),
                       session_cookie="gradekit_session", same_site="lax",
                       https_only=secure_cookies, max_age=12 * 3600)],
        exception_handlers={HTTPException: _http_error, Exception: _crash},
        lifespan=lifespan)
    app.state.course, app.state.queue, app.state.guard = course, queue, Guard()
    app.state.templates = templates
    app.state.comparisons = Comparisons()   # the similarity pages' last result per assignment
    return app

