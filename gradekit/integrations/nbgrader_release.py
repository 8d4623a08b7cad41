"""nbgrader generate_assignment, run for `gradekit release` and for a gradebook that lacks an
assignment (attempts/gradebook.py), with its failure said in one line."""
import re
import subprocess
import sys

from .toolpath import scripts_on_path

EXCEPTION_LINE = re.compile(r"^\s*[\w.]*(Error|Exception): ")


class ReleaseError(Exception):
    """The source assignment is broken or its release would leak instructor material."""


def run_nbgrader(assignment, root, release_dir=None):
    """nbgrader generate_assignment --force in a child process, its log kept out of sight;
    the student version goes to release_dir when given (else the course's release/)."""
    # A child process: nbgrader reads nbgrader_config.py from its cwd and keeps global
    # traitlets state, which must not leak between releases of different course roots.
    scripts_on_path()
    elsewhere = [f"--CourseDirectory.release_directory={release_dir}"] if release_dir else []
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force",
         *elsewhere],
        cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        # nbgrader logs a traceback and then generic ERROR lines: the exception line of the
        # traceback is the one that tells the instructor what to fix.
        log = (done.stderr + done.stdout).splitlines()
        reasons = [line for line in log if EXCEPTION_LINE.match(line)]
        reason = (reasons or [line for line in log if "ERROR" in line] or log or ["no output"])[-1]
        raise ReleaseError(f"nbgrader generate_assignment failed: {reason.strip()}")
