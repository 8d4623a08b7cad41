"""Whose failure it is, decided by the type of what was raised (standard library only: the
CLI imports this).  Every command maps an exception to its exit code here and nowhere else.

    BaseException
     └── Exception
          ├── GradekitError                 (what gradekit itself raises)
          │    ├── UsageError               exit 2  bad input or usage; one line, never retried
          │    │    ├── course.CourseError        (also a ValueError)
          │    │    └── bounds.Rejected           (also a ValueError)
          │    ├── Refused                  exit 4  the course policy refuses an upload
          │    └── OurFailure               exit 3  our infrastructure; never costs the student
          │         │                               (also a RuntimeError)
          │         ├── SandboxError              the sandbox cannot start; retried
          │         ├── NotGradedYet              queued, no worker answered (yet); retried
          │         └── EngineBug                 a check or the engine itself broke: retried
          │                                       never (it would break the same way), marked
          │                                       "error" at once, traceback in a crash log
          └── StudentFault                  not ours: the check that met it fails and the
               │                            attempt is graded and counted
               └── sandbox.outcomes.StudentError  a student call gave no usable value

Which exceptions from *checks* are the student's (grading/plugin.py `blame`, the one place
that decides): a check fails as the student's fault when it raises AssertionError or
pytest.fail (a wrong value), a StudentError (the call itself failed), or one of
STUDENT_VALUE_ERRORS after the student's code returned a value to it, or to a fixture of
its module (a huge int, a ragged list, a wrong type that the check's arithmetic could not
take).  Anything else a check raises (NameError, AttributeError, ImportError, OSError, ...),
or any error before a student value reached its module's checks, is an EngineBug.  Graders
validate each value with the helpers of grading/checks.py before computing with it, so that
a student's value fails with a message naming what is wrong with it rather than an
arithmetic error.  A grader's own slip of a value type cannot hide as a student's failure
for long: the reference must get full marks (`gradekit audit`).

"error" attempts (OurFailure) never cost points; the first few of one student on one
assignment use no upload either (policy.Policy.free_errors), later ones do, so that errors
cannot buy unlimited uploads (course.policy.Policy.uploads_used).
"""
import enum


class Exit(enum.IntEnum):
    """Exit codes of every command (docs/interfaces.md, Exit codes)."""

    DONE = 0        # graded, whatever the score
    BROKEN = 1      # `gradekit doctor`, `gradekit audit`: the check found a problem
    USAGE = 2       # bad input or usage
    OURS = 3        # our grading infrastructure failed (or a bug of ours)
    REFUSED = 4     # the course policy refused the upload
    INTERRUPTED = 130


class GradekitError(Exception):
    """Base of what gradekit raises on purpose; `exit` is the command's exit code."""

    exit = Exit.OURS


class UsageError(GradekitError):
    """Bad input or usage: a one-line reason, exit 2."""

    exit = Exit.USAGE


class Refused(GradekitError):
    """The course policy refuses the upload (limit reached, too soon): exit 4."""

    exit = Exit.REFUSED


class OurFailure(GradekitError, RuntimeError):
    """Our infrastructure failed (not the student's fault): exit 3, "error", never charged
    points.  `retry`: whether grading the attempt again may help."""

    exit = Exit.OURS
    retry = True


class SandboxError(OurFailure):
    """The sandbox itself could not run (not the student's fault); the message names the fix."""


class NotGradedYet(OurFailure):
    """An upload was received and queued, but no worker graded it (yet): the job queue or
    its workers are away.  The message says what happens to the attempt next."""


class EngineBug(OurFailure):
    """A check or the engine broke while grading (a bug of ours, not the student's value):
    the attempt is "error" at once (grading again would break the same way) and the
    traceback goes to a crash log (`crash_log`) for the instructors."""

    retry = False

    def __init__(self, message, details=""):
        super().__init__(message)
        self.details = details   # tracebacks, written to the crash log


class StudentFault(Exception):
    """The student's code or value is at fault: the check fails, the attempt counts."""


# Raised by a check's arithmetic on a value the student's code returned: the student's.
STUDENT_VALUE_ERRORS = (TypeError, ValueError, ArithmeticError, LookupError, MemoryError,
                        RecursionError)


def crash_log(text=None):
    """Write `text` (default: the current traceback) to a new file in the temporary
    folder; returns its path."""
    import tempfile
    import traceback
    with tempfile.NamedTemporaryFile("w", prefix="gradekit-crash-", suffix=".log",
                                     delete=False) as handle:
        if text is None:
            traceback.print_exc(file=handle)
        else:
            handle.write(text)
    return handle.name
