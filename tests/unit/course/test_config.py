"""course.config: gradekit.toml read and checked whole; each kind of bad file is one line naming
its table and key, exit 2; reserved table names; defaults when a table or the file is absent."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from gradekit.course.config import QueueSettings, load_policy, queue_settings, read_config
from gradekit.course.layout import Course, CourseError
from gradekit.course.policy import Policy
from gradekit.errors import Exit

GOOD = """
[ML06]
deadline = 2026-12-20T23:59:00+01:00
late_penalty = "per_day:0.1"
max_uploads = 30
min_interval_s = 10
counts = "best"
free_errors = 2

[LR01]
max_uploads = 0

[queue]
broker = "redis://:secret@db-host:6379/2"
name = "ml06"
lease_s = 8

[database]
url = "postgresql://gradekit@db-host/ml06"
"""


@pytest.fixture
def course(tmp_path, configure):
    """An empty course folder (gradekit.toml only) and no configuration in the environment."""
    return Course(tmp_path)


def test_a_good_file_gives_every_table(course, configure):
    configure(course, GOOD)
    config = read_config(course)
    assert config.policy("ML06") == Policy(
        deadline=datetime(2026, 12, 20, 23, 59, tzinfo=timezone(timedelta(hours=1))),
        late_penalty="per_day:0.1", max_uploads=30, min_interval_s=10, counts="best",
        free_errors=2)
    assert config.policy("LR01") == Policy(max_uploads=0)
    assert config.queue == QueueSettings(broker="redis://:secret@db-host:6379/2", name="ml06",
                                         lease_s=8.0)
    assert config.database_url == "postgresql://gradekit@db-host/ml06"
    assert sorted(config.policies) == ["LR01", "ML06"]


def test_values_are_kept_as_written_since_reports_print_them(course, configure):
    configure(course, "[ML06]\nmin_interval_s = 10\n")
    assert type(load_policy(course, "ML06").min_interval_s) is int


def test_defaults_when_the_file_is_absent(course):
    config = read_config(course)
    assert config.policy("ML06") == Policy()
    assert (config.queue, config.database_url) == (None, None)


def test_defaults_when_a_table_is_absent_or_empty(course, configure):
    configure(course, "[ML06]\n[queue]\nname = \"x\"\n")
    assert load_policy(course, "ML06") == Policy()
    assert load_policy(course, "LR01") == Policy()
    assert queue_settings(course) is None          # no broker: grading stays on this host


def test_the_environment_stands_in_for_broker_and_url(course, configure, monkeypatch):
    configure(course, GOOD)
    monkeypatch.setenv("GRADEKIT_BROKER", "redis://elsewhere:6379/0")
    monkeypatch.setenv("GRADEKIT_DATABASE", "postgres://x@y/z")
    config = read_config(course)
    assert config.queue.broker == "redis://elsewhere:6379/0"
    assert config.queue.name == "ml06"
    assert config.database_url == "postgres://x@y/z"


@pytest.mark.parametrize("text, message", [
    ("[ML06\n", "gradekit.toml: .*gradekit.toml: Expected"),
    ("max_uploads = 3\n", "'max_uploads' must be a table"),
    ('["ML 06"]\n', r"\[ML 06\] is no assignment name"),
    ("[ML06]\nmax_upload = 3\n", r"unknown \[ML06\] setting 'max_upload'"),
    ("[ML06]\nmax_uploads = 2.5\n", r"\[ML06\] max_uploads must be a whole number"),
    ("[ML06]\nmax_uploads = true\n", r"\[ML06\] max_uploads must be a whole number"),
    ("[ML06]\nfree_errors = -1\n", r"\[ML06\] free_errors must be a whole number"),
    ('[ML06]\nmin_interval_s = "10"\n', r"\[ML06\] min_interval_s must be a number"),
    ('[ML06]\ndeadline = "2026-12-20"\n', r"\[ML06\] deadline must be a TOML date and time"),
    ("[ML06]\ndeadline = 2026-12-20T23:59:00\n", r"\[ML06\] deadline needs a UTC offset"),
    ('[ML06]\nlate_penalty = "per_day:ten"\n', r"\[ML06\] late_penalty must be"),
    ("[ML06]\nlate_penalty = 0.1\n", r"\[ML06\] late_penalty must be"),
    ('[ML06]\ncounts = "first"\n', r"\[ML06\] counts must be \"latest\" or \"best\""),
    ('[queue]\nbroker = "amqp://host"\n', r"\[queue\] broker must be a redis:// URL"),
    ('[queue]\nbroker = "redis://h"\ntime_limit_s = "long"\n',
     r"\[queue\] time_limit_s must be a number"),
    ('[queue]\nbroker = "redis://h"\nworkers = 3\n', r"unknown \[queue\] setting 'workers'"),
    ('[queue]\nbroker = "redis://h"\nlease_s = 2\n', r"\[queue\] lease_s must be at least 4 s"),
    ("[queue]\nworkers = 3\n", r"unknown \[queue\] setting 'workers'"),   # even without broker
    ("[database]\nurl = 5\n", r"\[database\] url must be a non-empty string"),
    ('[database]\nuri = "postgresql://h/db"\n', r"unknown \[database\] setting 'uri'"),
    ("queue = 3\n", "'queue' must be a table"),
])
def test_each_kind_of_bad_file_is_one_line_naming_table_and_key(course, configure, text, message):
    configure(course, text)
    with pytest.raises(CourseError, match=message) as raised:
        read_config(course)
    assert len(str(raised.value).splitlines()) == 1
    assert raised.value.exit == Exit.USAGE


def test_a_bad_table_fails_every_reader_not_only_its_own(course, configure):
    configure(course, "[ML06]\n[queue]\nbroker = \"amqp://host\"\n")
    with pytest.raises(CourseError, match="broker"):
        load_policy(course, "ML06")


def test_an_assignment_cannot_take_a_reserved_name(course_copy):
    course = Course(course_copy)
    (course.root / "graders" / "ML06").rename(course.root / "graders" / "queue")
    assert "queue" not in course.assignments()
    with pytest.raises(CourseError, match="no assignment may be named 'queue'"):
        course.assignment("queue")
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "grade", "queue",
                           "reference/ML06/mlp.py"], cwd=course.root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == Exit.USAGE
    assert done.stderr.splitlines() == [
        "gradekit: error: no assignment may be named 'queue': gradekit.toml's [queue] table "
        "is the course's own"]


def test_doctor_names_a_refused_file_in_a_fail_line(course_copy):
    """Every command stops on the file with exit 2; doctor says so and why, and ends its report."""
    (course_copy / "gradekit.toml").write_text("[ML06]\nmax_upload = 3\n")
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "doctor"], cwd=course_copy,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == Exit.BROKEN, done.stderr
    assert "  FAIL  course: gradekit.toml: unknown [ML06] setting 'max_upload'\n" in done.stdout
    assert done.stdout.strip().endswith("fix the FAIL lines above") and not done.stderr
