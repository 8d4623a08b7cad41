"""The one place that shapes an error answer, for the API and for pages alike."""
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from .render import to_sign_in


def error_response(request, exc):
    """Errors as {"error": ...} for the API, a short page for a browser (always one line)."""
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", None) or "internal error"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": detail}, status, headers=getattr(exc, "headers", None))
    if status == 401:
        return to_sign_in(request)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "detail": detail}, status_code=status)


async def call(function, *args, **kwargs):
    """`function` in a worker thread (it reads and writes the database): its KeyError (an
    unknown question, student, item or group) answers 404, its ValueError (a bad value) 422."""
    try:
        return await run_in_threadpool(function, *args, **kwargs)
    except KeyError as exc:
        raise HTTPException(404, str(exc.args[0]) if exc.args else "not found") from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
