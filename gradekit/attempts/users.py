"""Users of the web service, stored in the course database (`gradekit users` adds them).

A user signs in with an access token that only they hold: 32 random bytes, shown once when
it is made and stored as its SHA-256 (a high-entropy token needs no slow hash; a stolen
database then opens no account).  Adding a user again issues a new token (the old one and
sessions signed in with it stop working).
"""
import hashlib
import secrets

from sqlalchemy import delete, insert, select

from ..course.layout import CourseError
from .database import engine_for, users
from .receive import STUDENT_ID

ROLES = ("student", "instructor")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def add_user(course, user_id, *, role="student", name="", email="") -> str:
    """Create or update a user with a new token; returns the token (shown once)."""
    if not STUDENT_ID.match(user_id or "") or ".." in user_id:
        raise CourseError(f"invalid user id {user_id!r}: use letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise CourseError(f"invalid role {role!r}: student or instructor")
    token = "gk_" + secrets.token_urlsafe(32)
    with engine_for(course).begin() as db:
        db.execute(delete(users).where(users.c.id == user_id))
        db.execute(insert(users).values(id=user_id, role=role, name=name or "", email=email or "",
                                        token_sha256=token_hash(token)))
    return token


def find_by_token(course, token):
    """The user row (id, name, email, role, token_sha256) a token opens, or None."""
    if not token:
        return None
    with engine_for(course).connect() as db:
        return db.execute(select(users).where(users.c.token_sha256 == token_hash(token))).first()


def find(course, user_id):
    with engine_for(course).connect() as db:
        return db.execute(select(users).where(users.c.id == user_id)).first()


def all_users(course, role=None):
    query = select(users).order_by(users.c.id)
    if role:
        query = query.where(users.c.role == role)
    with engine_for(course).connect() as db:
        return list(db.execute(query))
