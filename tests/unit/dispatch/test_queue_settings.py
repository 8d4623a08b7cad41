"""The job queue's and the course database's configuration (no servers needed): who picks
the broker transport (bad settings: tests/unit/course/test_config.py)."""
import subprocess
import sys

import pytest

from gradekit.course.layout import Course
from gradekit.attempts.database import configured_url
from gradekit.dispatch import grader_for, queue_for
from gradekit.course.config import queue_settings
from gradekit.attempts.gradebook import gradebook_url


@pytest.fixture
def course(course_copy, configure):
    """A copy of the course, no GRADEKIT_* overrides in the environment."""
    return Course(course_copy)


def test_without_a_broker_nothing_changes(course):
    assert queue_settings(course) is None
    assert queue_for(course).transport == "local"
    assert grader_for(course, "ML06").transport == "local"
    assert gradebook_url(course) == f"sqlite:///{course.root / 'gradebook.db'}"


def test_a_broker_makes_the_queue_and_uploads_go_through_it(course, configure, monkeypatch):
    configure(course, '[queue]\nbroker = "redis://:secret@db-host:6379/2"\ntime_limit_s = 300\n')
    settings = queue_settings(course)
    assert settings.time_limit_s == 300.0
    # a lost host's attempt is published again within max(lease, grace) + sweep: 30 s
    assert (settings.lease_s, settings.heartbeat_s, settings.sweep_s, settings.grace_s) == (
        20.0, 5.0, 10.0, 15.0)
    assert settings.visibility_timeout_s > settings.time_limit_s
    assert settings.shown_broker == "redis://:***@db-host:6379/2"
    assert queue_for(course).transport == "broker"          # no connection is made yet
    assert grader_for(course, "ML06").transport == "broker"
    monkeypatch.setenv("GRADEKIT_BROKER", "redis://elsewhere:6379/0")
    assert queue_settings(course).broker == "redis://elsewhere:6379/0"


def test_the_gradebook_follows_the_course_database(course, configure, monkeypatch):
    configure(course, '[database]\nurl = "postgresql://gradekit@db-host/ml06"\n')
    assert configured_url(course) == "postgresql+psycopg://gradekit@db-host/ml06"
    assert gradebook_url(course) == "postgresql+psycopg://gradekit@db-host/ml06"
    monkeypatch.setenv("GRADEKIT_DATABASE", "postgres://x@y/z")
    assert gradebook_url(course) == "postgresql+psycopg://x@y/z"


def test_worker_without_a_broker_is_exit_2_and_one_line(course):
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "worker"], cwd=course.root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("gradekit: error: no job queue: set [queue] broker")
    assert len(done.stderr.splitlines()) == 1
