"""The upload size cap, enforced before the body is read (pure ASGI middleware)."""
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .errors import error_response


class TooLarge(HTTPException):
    def __init__(self, max_bytes):
        super().__init__(413, f"the upload is larger than {max_bytes >> 20} MB")


class BodyLimit:
    """Answer 413 to a request whose body is larger than `max_bytes`: at once when its
    Content-Length says so (nothing read), else as soon as the streamed body passes it."""

    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_bytes:
            return await self._refuse(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise TooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, scope, receive, send):
        response = error_response(Request(scope), TooLarge(self.max_bytes))
        response.headers["connection"] = "close"   # the rest of the body is never read
        await response(scope, receive, send)
