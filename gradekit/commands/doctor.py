"""`gradekit doctor`: will grading work here?  One line per finding, and what follows from it.

It starts a real sandbox exactly as a grading does, so what it reports about the sandbox is
what every grading will see, not a guess from the host.
"""
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from ..course.layout import Course, CourseError
from ..attempts.database import configured_url
from ..errors import Exit
from .doctor_isolation import check_isolation

# the newest Python that .ci/run tests (the oldest is pyproject's requires-python)
NEWEST_TESTED = (3, 13)
# imported by graders and nbgrader integration in the trusted process
TRUSTED_MODULES = ("numpy", "pytest", "nbformat", "nbgrader", "tqdm")
PROBE = ("import importlib\nDOCTOR = {{}}\nfor _name in {names!r}:\n"
         "    try:\n        importlib.import_module(_name)\n        DOCTOR[_name] = ''\n"
         "    except Exception as _exc:\n        DOCTOR[_name] = repr(_exc)\n")


class Findings:
    """The lines printed so far and whether any of them means grading will not work."""

    def __init__(self):
        self.broken = False

    def ok(self, what, text):
        print(f"  ok    {what}: {text}")

    def warn(self, what, text):
        print(f"  warn  {what}: {text}")

    def fail(self, what, text):
        self.broken = True
        print(f"  FAIL  {what}: {text}")


def environment_kind():
    """venv / conda / system: what kind of environment this interpreter is."""
    if sys.prefix != sys.base_prefix:
        return f"virtual environment {sys.prefix} (base {sys.base_prefix})"
    if (Path(sys.prefix) / "conda-meta").is_dir():
        return f"conda environment {sys.prefix}"
    return f"the interpreter's own installation {sys.prefix}"


def check_python(found):
    from ..sandbox import interpreter
    supported = supported_pythons()
    where = (f"{platform.python_version()} at {interpreter.executable()}, {environment_kind()}; "
             "the sandbox runs this same interpreter")
    if supported and not supported.contains(platform.python_version()):
        found.fail("python", f"{where}; gradekit needs Python {supported}")
    elif sys.version_info[:2] > NEWEST_TESTED:
        found.warn("python", f"{where}; gradekit is tested on Python {supported} up to "
                             f"{'.'.join(map(str, NEWEST_TESTED))} only")
    else:
        found.ok("python", where)
    found.ok("sandbox sees", ", ".join(interpreter.roots()) + " (read-only)")
    for name in TRUSTED_MODULES:
        if importlib.util.find_spec(name) is None:
            found.fail(f"import {name}", "missing in the grading process: "
                                         f"{interpreter.executable()} -m pip install -e .")


def supported_pythons():
    """The installed kit's Requires-Python (pyproject.toml) as a SpecifierSet, or None."""
    from importlib import metadata
    from packaging.specifiers import SpecifierSet
    try:
        return SpecifierSet(metadata.metadata("gradekit")["Requires-Python"] or "")
    except metadata.PackageNotFoundError:   # run from a checkout that was never installed
        return None


def check_bubblewrap(found):
    from ..sandbox.launch import bwrap_path
    bwrap = bwrap_path()
    if os.environ.get("GRADEKIT_SANDBOX") == "fallback":
        found.warn("bubblewrap", "not used: GRADEKIT_SANDBOX=fallback")
        return
    if not bwrap:
        found.warn("bubblewrap", "not installed: gradings use the weaker fallback "
                                 "(apt-get install bubblewrap for the strong level)")
        return
    trial = subprocess.run([bwrap, "--unshare-all", "--ro-bind", "/", "/", "--", "/bin/true"],
                           capture_output=True, text=True, timeout=30)
    if trial.returncode:
        found.fail("bubblewrap", f"{bwrap} cannot create namespaces here "
                                 f"({trial.stderr.strip()[:200]}): allow unprivileged user "
                                 "namespaces or set GRADEKIT_SANDBOX=fallback")
    else:
        found.ok("bubblewrap", f"{bwrap} creates namespaces")


def check_host(found):
    from ..sandbox.inside.confine import landlock_abi
    abi = landlock_abi()
    (found.ok if abi else found.warn)(
        "landlock", f"ABI v{abi}" if abi else "not available: the fallback level cannot "
                                               "hide files (bubblewrap still does)")
    if os.getuid() == 0:
        found.ok("user", "root: each sandbox runs under a throwaway uid")
    else:
        found.warn("user", f"uid {os.getuid()}, not root: sandboxes keep your uid (bubblewrap "
                           "isolates them in a user namespace; the fallback cannot)")


def assignments(course):
    """Names of the course's assignments (graders/<A>/pytest.ini)."""
    return sorted(p.parent.name for p in (course.root / "graders").glob("*/pytest.ini"))


def sandbox_modules(course, found):
    """numpy and every module an assignment of the course preloads in its sandbox."""
    modules = ["numpy"]
    for name in assignments(course):
        try:
            modules += [m for m in course.settings(name).preload if m not in modules]
        except CourseError as exc:
            found.fail(name, str(exc))
    return tuple(modules)


def check_sandbox(found, modules):
    """Start a real sandbox and import inside it every library the assignments need."""
    from ..sandbox import interpreter
    from ..sandbox.client import Sandbox
    try:
        with Sandbox([("doctor", PROBE.format(names=modules))], budget_s=90) as box:
            imported = box.value("DOCTOR")
            level = box.level
    except Exception as exc:   # SandboxError or anything else: grading would hit it too
        found.fail("sandbox", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return
    for name in modules:
        if imported.get(name):
            found.fail(f"sandbox import {name}",
                       f"the sandbox cannot import it ({imported[name][:200]}): install the "
                       f"kit's requirements with {interpreter.executable()} -m pip install ...")
        else:
            found.ok(f"sandbox import {name}", "importable inside the sandbox")
    found.ok("sandbox level", f"every grading will report '{level}'")


def check_course(found, root):
    from .serve import is_running
    course = Course(root)
    names = assignments(course)
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


def main(*, course_root: Path = Path(".")) -> int:
    """Print the findings; exit 0 when grading will work here, 1 when it will not."""
    found = Findings()
    print("gradekit doctor")
    check_python(found)
    check_bubblewrap(found)
    check_host(found)
    check_sandbox(found, sandbox_modules(Course(course_root), found))
    check_isolation(found)
    check_course(found, course_root)
    check_services(found, course_root)
    check_in_flight(found, course_root)
    if shutil.which("gradekit") is None:
        found.warn("PATH", "the gradekit command is not on PATH (activate the environment)")
    print("grading will NOT work here: fix the FAIL lines above" if found.broken
          else "grading will work here")
    return Exit.BROKEN if found.broken else Exit.DONE
