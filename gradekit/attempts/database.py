"""The course's shared database: attempts and their status, users of the web service,
pairs flagged on the similarity page, human grading (rubrics, grades, regrade requests).

Everything that more than one process (the web service, its workers, `gradekit upload`,
Celery workers on other hosts) writes lives here.  The embedded default is SQLite in
<course>/.gradekit/service.db (WAL, so readers never wait for a writer); a course that grades
on several hosts names PostgreSQL in gradekit.toml:

    [database]
    url = "postgresql+psycopg://gradekit@db-host/course"   # or GRADEKIT_DATABASE

SQLAlchemy Core (already installed with nbgrader): tables are created when missing.
"""
import os
import sqlite3
import threading

from sqlalchemy import (Boolean, Column, Float, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, create_engine, event, inspect, text)

from sqlalchemy.exc import OperationalError

from ..course.config import read_config
from ..integrations.toolpath import scripts_on_path

metadata = MetaData()

# One row per received upload; (assignment, student, number) is the attempt's identity.
attempts = Table(
    "gk_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(64), nullable=False),
    Column("student", String(80), nullable=False),
    Column("number", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("archive", String(512), nullable=False),   # relative to the course root
    Column("received", String(40), nullable=False),   # ISO 8601, UTC
    # queued | grading | graded | rejected | refused | error
    Column("status", String(16), nullable=False),
    Column("reason", Text),                           # rejected/refused/error: one line
    Column("tries", Integer, nullable=False, default=0),
    Column("score", Float),                           # the graders' score, before penalty
    Column("max_score", Float),
    Column("late_penalty", Float),
    Column("counts", Boolean),
    Column("report", Text),                           # `gradekit upload --json` when graded
    Column("updated", String(40)),
    # graded: False from the moment the student sees the grade until the gradebook, report
    # files and attempts log hold it too (record.py); NULL (rows older than it) = recorded
    Column("recorded", Boolean),
    UniqueConstraint("assignment", "student", "number", name="gk_attempt_identity"),
)

users = Table(
    "gk_users", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("email", String(200), nullable=False, default=""),
    Column("role", String(16), nullable=False),       # student | instructor
    Column("token_sha256", String(64), nullable=False, unique=True),
)

# Pairs of students an instructor flagged for follow-up on the similarity page (a < b).
pair_flags = Table(
    "gk_pair_flags", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(64), nullable=False),
    Column("student_a", String(80), nullable=False),
    Column("student_b", String(80), nullable=False),
    Column("flagged_by", String(64), nullable=False),
    Column("flagged_at", String(40), nullable=False),   # ISO 8601, UTC
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("assignment", "student_a", "student_b", name="gk_pair_flag_identity"),
)

# Human grading (gradekit/manual/): one row per (assignment, question) once it is set.
manual_questions = Table(
    "gk_manual_questions", metadata,
    Column("assignment", String(64), primary_key=True),
    Column("question", String(120), primary_key=True),   # the cell's nbgrader grade_id
    Column("scoring", String(16), nullable=False),        # negative | positive
    Column("published", Boolean, nullable=False, default=False),
)

rubric_items = Table(
    "gk_rubric_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(64), nullable=False),
    Column("question", String(120), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("points", Float, nullable=False),   # negative scoring: usually < 0
    Column("position", Integer, nullable=False),
)

# Every grade ever given; `current` marks the latest of (assignment, question, student).  It
# judged the answer whose SHA-256 it holds: it applies only while the counted attempt's
# answer has that digest (manual/book.py).
manual_grades = Table(
    "gk_manual_grades", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(64), nullable=False),
    Column("question", String(120), nullable=False),
    Column("student", String(80), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("answer_sha256", String(64), nullable=False),
    Column("items", Text, nullable=False),     # JSON list of rubric item ids
    Column("adjust", Float, nullable=False, default=0.0),
    Column("comment", Text, nullable=False, default=""),
    Column("graded_by", String(64), nullable=False),
    Column("graded_at", String(40), nullable=False),   # ISO 8601, UTC
    Column("current", Boolean, nullable=False),
)

# Students an instructor moved out of their answer group (each then forms a group alone).
group_moves = Table(
    "gk_group_moves", metadata,
    Column("assignment", String(64), primary_key=True),
    Column("question", String(120), primary_key=True),
    Column("student", String(80), primary_key=True),
)

regrade_requests = Table(
    "gk_regrade_requests", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(64), nullable=False),
    Column("question", String(120), nullable=False),
    Column("student", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("filed_at", String(40), nullable=False),
    Column("reply", Text),
    Column("replied_by", String(64)),
    Column("replied_at", String(40)),
    Column("status", String(16), nullable=False),   # open | answered
)

_engines = {}
_lock = threading.Lock()


def _after_fork():
    """A forked child (a Celery worker process) starts with its own lock: another thread of
    the parent (the sweeper) may have held this one at the moment of the fork."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)
SCHEMA_LOCK = 0x6772616465   # PostgreSQL advisory lock key ("grade"): one schema creator


def configured_url(course) -> str | None:
    """GRADEKIT_DATABASE, else gradekit.toml's [database] url, else None (embedded SQLite).

    `postgresql://` and `postgres://` mean psycopg 3, the driver gradekit installs (bare,
    SQLAlchemy would look for psycopg2)."""
    url = read_config(course).database_url
    if not url:
        return None
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg://" + url[len(bare):]
    return url


def database_url(course) -> str:
    """The configured database (configured_url), else the course's SQLite file."""
    url = configured_url(course)
    if url:
        return url
    folder = course.root / ".gradekit"
    folder.mkdir(mode=0o700, exist_ok=True)
    return f"sqlite:///{folder / 'service.db'}"


def engine_for(course):
    """The process's engine for the course's database (tables created on first use)."""
    url = database_url(course)
    key = (os.getpid(), url)   # an engine must not cross a fork
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _make_engine(url)
            create_schema(engine, url)
            _engines[key] = engine
    return engine


def create_schema(engine, url):
    """Our tables, created when missing.  A server database is shared by every host, and
    CREATE TABLE of processes starting at once races in PostgreSQL's catalog (a duplicate
    key error even with IF NOT EXISTS), so there one process at a time creates (an advisory
    lock).  nbgrader's gradebook lives in the same database (gradebook.gradebook_url) and is
    created first: nbgrader stamps its alembic version only into a database without tables.
    """
    if engine.dialect.name == "sqlite":   # a file of this host; SQLite serialises writers
        try:
            metadata.create_all(engine)
        except OperationalError as exc:   # another process created it between check and create
            if "already exists" not in str(exc):
                raise
            metadata.create_all(engine)   # checks again: creates only what is still missing
        with engine.begin() as db:
            add_missing_columns(db)
        return
    with engine.begin() as db:
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        from nbgrader.api import Gradebook
        scripts_on_path()   # nbgrader runs `alembic` to stamp a new gradebook
        Gradebook(url).close()
        metadata.create_all(db)
        add_missing_columns(db)


def add_missing_columns(db):
    """Columns added to our tables since a course's database was created (ALTER TABLE ADD
    COLUMN: nullable, no default, so existing rows read as before)."""
    for table in metadata.sorted_tables:
        present = {column["name"] for column in inspect(db).get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=db.dialect)
            try:
                with db.begin_nested():
                    db.execute(text(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}'))
            except OperationalError as exc:   # SQLite: another process added it meanwhile
                if "duplicate column" not in str(exc):
                    raise


def _make_engine(url):
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        cursor = connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")    # pages read while workers write
        except sqlite3.OperationalError:   # busy: another process is switching it (it persists)
            pass
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine
