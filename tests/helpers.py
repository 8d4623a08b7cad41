"""What several test modules do alike: run the `gradekit` command as users do."""
import subprocess
import sys


def gradekit(course, *args, timeout=600):
    """Run `gradekit ARGS` (as `python -m gradekit.cli`, so this interpreter's gradekit) in the
    course folder; returns the CompletedProcess with text stdout/stderr.  The timeout turns a
    hang into a failure rather than a stuck suite."""
    return subprocess.run([sys.executable, "-m", "gradekit.cli", *map(str, args)], cwd=course,
                          capture_output=True, text=True, timeout=timeout)
