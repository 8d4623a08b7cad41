"""`gradekit doctor` on the course: its assignments, the gradebook, the course database and
the job queue when gradekit.toml names them, and the attempts in flight."""
from ..attempts.database import configured_url
from ..course.layout import Course
from ..dispatch.warm_client import is_running


def check_course(found, root):
    course = Course(root)
    names = course.assignments()
    if not names:
        found.fail("course", f"no graders/<assignment>/pytest.ini under {course.root}: run "
                             "gradekit from the course root")
        return
    found.ok("course", f"{course.root}: assignments {', '.join(names)}")
    for name in names:
        missing = [part for part, path in (("source", course.source_dir(name)),
                                           ("release", course.release_dir(name)))
                   if not path.is_dir()]
        if missing:
            found.warn(name, f"no {' or '.join(missing)} folder (gradekit release {name})")
        server = "a warm server runs" if is_running(course.root, name) else \
            f"no warm server (optional: gradekit serve {name})"
        found.ok(name, server)
    gradebook = course.root / "gradebook.db"
    if configured_url(course):
        found.ok("gradebook", "nbgrader's tables in the course database (below)")
    else:
        found.ok("gradebook", f"{gradebook}" if gradebook.exists() else
                 "none yet (nbgrader creates gradebook.db at the first release or upload)")


def check_services(found, root):
    """The course database and the job queue, when gradekit.toml names them: reachable?"""
    from ..course.config import queue_settings
    course = Course(root)
    url, settings = configured_url(course), queue_settings(course)
    if url:
        from sqlalchemy.engine import make_url
        shown = make_url(url).render_as_string(hide_password=True)
        try:
            from ..attempts.database import engine_for
            with engine_for(course).connect():
                found.ok("database", f"{shown} answers")
        except Exception as exc:   # any driver's error: say it in one line
            found.fail("database", f"{shown} does not answer ({str(exc).splitlines()[0]}): "
                                   "start it or fix [database] url / GRADEKIT_DATABASE")
    if settings:
        from ..dispatch.broker import BrokerQueue
        queue = BrokerQueue(course, settings=settings)
        try:
            queue.leases.redis.ping()
            workers = len(queue.app.control.ping(timeout=1.0))
        except Exception as exc:   # redis' and kombu's errors alike
            found.fail("job queue", f"{settings.shown_broker} does not answer ({exc}): start "
                                    "Redis or fix [queue] broker / GRADEKIT_BROKER")
            return
        if workers:
            found.ok("job queue", f"{settings.shown_broker}: {workers} gradekit worker(s) answer")
        else:
            found.warn("job queue", f"{settings.shown_broker} answers, no gradekit worker does: "
                                    "uploads wait in the queue until one runs")


IN_FLIGHT_SHOWN = 5   # the oldest attempts in flight named one per line


def check_in_flight(found, root):
    """Attempts received and not yet graded and recorded (queued, grading, unrecorded), with
    their age, the oldest first; with a broker, who holds each one's lease.  Never FAIL:
    attempts waiting say nothing about whether grading works here; warn for those no queue
    holds any more (a lapsed lease: a sweeper publishes them again) and the unrecorded."""
    from ..attempts import table as attempts
    from ..dispatch.leases import lease_states
    course = Course(root)
    if not configured_url(course) and not (course.root / ".gradekit" / "service.db").exists():
        return   # no service or queue ever ran here: nothing can be in flight
    try:
        rows = attempts.to_grade(course)
    except Exception as exc:   # the database: check_services says why
        said = (str(exc) or type(exc).__name__).splitlines()[0][:200]
        found.warn("in flight", f"not readable ({said})")
        return
    stages = {stage: [r for r in rows if r.stage == stage]
              for stage in ("queued", "grading", "unrecorded")}
    found.ok("in flight", ", ".join(
        f"{len(group)} {stage}" + (f" (oldest {attempts.seconds_since(group[0].received):.0f} s)"
                                   if group else "") for stage, group in stages.items()))
    shown = rows[:IN_FLIGHT_SHOWN]
    leases = lease_states(course, [r.key for r in shown]) or [("", False)] * len(shown)
    for row, (lease, lost) in zip(shown, leases):
        (found.warn if lost or row.stage == "unrecorded" else found.ok)("in flight", (
            f"{row.assignment}/{row.student} attempt {row.number} {row.stage} for "
            f"{attempts.seconds_since(row.updated):.0f} s, received "
            f"{attempts.seconds_since(row.received):.0f} s ago{lease}"))
