"""The upload size cap, enforced before the body is stored or parsed (pure ASGI middleware)."""
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .errors import error_response

# A browser (and most HTTP libraries) sends the whole body before it reads any answer: a
# server that answers and closes with the body unread makes the client see "connection reset",
# not the 413.  So the body of a too-large request is read and thrown away, up to this many
# bytes, before the answer; a client that says `Expect: 100-continue` (curl) is answered at
# once and sends nothing.  Past this much the connection is closed all the same.
DISCARD_AT_MOST = 256 << 20


class TooLarge(HTTPException):
    def __init__(self, max_bytes):
        super().__init__(413, f"the upload is larger than {max_bytes >> 20} MB")


class BodyLimit:
    """Answer 413 to a request whose body is larger than `max_bytes`: from its Content-Length
    before any of it is used, else as soon as the streamed body passes it."""

    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_bytes:
            if headers.get(b"expect", b"").lower() != b"100-continue":
                await discard_body(receive)
            return await self._refuse(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                if message.get("more_body"):
                    await discard_body(receive, DISCARD_AT_MOST - seen)
                raise TooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, scope, receive, send):
        response = error_response(Request(scope), TooLarge(self.max_bytes))
        response.headers["connection"] = "close"
        await response(scope, receive, send)


async def discard_body(receive, at_most=DISCARD_AT_MOST):
    """Read the rest of the request body and keep none of it (at most `at_most` bytes)."""
    read = 0
    while read <= at_most:
        message = await receive()
        if message["type"] != "http.request":   # the client went away
            return
        read += len(message.get("body", b""))
        if not message.get("more_body"):
            return
