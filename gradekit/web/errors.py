"""The one place that shapes an error answer, for the API and for pages alike."""
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
