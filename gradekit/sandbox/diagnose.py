"""Why a sandbox could not start, in one line that names the cause and the fix."""
import re
import sys

from . import interpreter

BROKEN = re.compile(r"gradekit-sandbox-broken: (.*)")
BWRAP = re.compile(r"^bwrap: (.*)$", re.MULTILINE)


def why_not_started(error, tail):
    """One line from a start failure and the interpreter's last output (not the student's)."""
    broken = BROKEN.search(tail or "")
    if broken:
        return (f"the sandbox {broken.group(1)}: install the kit's requirements into the "
                f"environment at {sys.prefix} ({interpreter.executable()} -m pip install ...); "
                "`gradekit doctor` checks an installation")
    refused = BWRAP.search(tail or "")
    if refused:
        return (f"bubblewrap could not start the sandbox ({refused.group(1).strip()}): allow "
                "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 or "
                "kernel.apparmor_restrict_unprivileged_userns=0), or set "
                "GRADEKIT_SANDBOX=fallback for the weaker Landlock sandbox")
    last = (tail or "").strip().splitlines()[-1:] or [str(error)]
    return f"the sandbox could not start: {last[0][:300]} (`gradekit doctor` checks an installation)"
