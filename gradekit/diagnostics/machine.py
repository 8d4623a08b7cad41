"""`gradekit doctor` on this machine: the interpreter, bubblewrap, Landlock, the user, and a
real sandbox started exactly as a grading starts it, so that what it reports about the sandbox
is what every grading will see, not a guess from the host."""
import importlib.util
import os
import platform
import subprocess
import sys
from pathlib import Path

from ..course.layout import CourseError

# the newest Python that .ci/run tests (the oldest is pyproject's requires-python)
NEWEST_TESTED = (3, 13)
# imported by graders and nbgrader integration in the trusted process
TRUSTED_MODULES = ("numpy", "pytest", "nbformat", "nbgrader", "tqdm")
PROBE = ("import importlib\nDOCTOR = {{}}\nfor _name in {names!r}:\n"
         "    try:\n        importlib.import_module(_name)\n        DOCTOR[_name] = ''\n"
         "    except Exception as _exc:\n        DOCTOR[_name] = repr(_exc)\n")


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


def sandbox_modules(course, found):
    """numpy and every module an assignment of the course preloads in its sandbox."""
    modules = ["numpy"]
    for name in course.assignments():
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
