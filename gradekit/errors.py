"""Failures that are ours, not the student's (standard library only: the CLI imports this)."""


class SandboxError(RuntimeError):
    """The sandbox itself could not run (not the student's fault); the message names the fix."""


class NotGradedYet(RuntimeError):
    """An upload was received and queued, but no worker graded it (yet): the job queue or
    its workers are away.  The message says what happens to the attempt next."""
