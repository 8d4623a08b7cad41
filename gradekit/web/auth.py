"""Who is asking: bearer tokens for the API, signed-cookie sessions and CSRF tokens for pages,
and a brake on guessing tokens at sign-in.

Sessions are Starlette's SessionMiddleware (itsdangerous-signed, HttpOnly, SameSite=Lax)
keyed by a secret made once per course in .gradekit/secret (never in git).  A session
remembers the user and a prefix of their token's hash, so issuing a new token signs out
every session of the old one.
"""
import hmac
import secrets
import threading
import time
from collections import deque

from starlette.exceptions import HTTPException

from ..attempts import users

SIGN_IN_DELAY_S = 0.4          # every sign-in answer takes this long, right token or wrong
FAILURES_ALLOWED = 10          # wrong tokens per client address ...
FAILURE_WINDOW_S = 300.0       # ... within this many seconds, then wrong tokens get 429


def course_secret(course) -> str:
    """The course's session secret, created on first use (mode 0600, outside git)."""
    path = course.root / ".gradekit" / "secret"
    path.parent.mkdir(mode=0o700, exist_ok=True)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        import os
        value = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:   # another process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        return value


class Guard:
    """Counts wrong tokens per client address and brakes only those.

    A token is always looked up first and a valid one is always let in: many students share
    one address behind a campus NAT, and one of them guessing must not lock out the rest.
    Past FAILURES_ALLOWED wrong tokens within the window, each further wrong one is answered
    429 with Retry-After (when the oldest failure ages out) instead of 401.  Tokens are 256
    random bits, so the brake is there to make a guessing client back off, not to keep a
    guess from succeeding."""

    def __init__(self):
        self._failures = {}
        self._lock = threading.Lock()

    def wrong(self, client, detail, headers=None):
        """The HTTPException to raise for a wrong token from `client` (401, or 429 when it
        is over the allowance); the failure is counted."""
        now = time.monotonic()
        with self._lock:
            stamps = self._failures.setdefault(client, deque())
            while stamps and stamps[0] < now - FAILURE_WINDOW_S:
                stamps.popleft()
            stamps.append(now)
            if len(stamps) <= FAILURES_ALLOWED:
                return HTTPException(401, detail, headers)
            wait_s = stamps[-FAILURES_ALLOWED - 1] + FAILURE_WINDOW_S - now
        return HTTPException(429, "too many wrong tokens from your address: check the token "
                                  f"and try again in {wait_s:.0f} s",
                             {"Retry-After": str(max(1, round(wait_s)))})


def client_of(request):
    return request.client.host if request.client else "unknown"


def bearer_user(request):
    """The API caller (a users row); 401 without a valid `Authorization: Bearer TOKEN`."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    user = users.find_by_token(request.app.state.course, token.strip()) \
        if scheme.lower() == "bearer" else None
    if user is None:
        raise request.app.state.guard.wrong(client_of(request), "no or bad access token",
                                            {"WWW-Authenticate": "Bearer"})
    return user


def session_user(request):
    """The signed-in user of a page request, or None (then the page redirects to sign-in)."""
    user_id = request.session.get("user")
    if not user_id:
        return None
    user = users.find(request.app.state.course, user_id)
    if user is None or user.token_sha256[:16] != request.session.get("token"):
        request.session.clear()
        return None
    return user


def sign_in(request, user):
    request.session.clear()
    request.session.update({"user": user.id, "token": user.token_sha256[:16],
                            "csrf": secrets.token_urlsafe(32)})


def csrf_token(request) -> str:
    """The session's CSRF token (made for anonymous sessions too: the sign-in form has one)."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


def check_csrf(request, form):
    expected = request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
        raise HTTPException(403, "the form is out of date or forged: reload the page and retry")
