"""Failures that are ours, not the student's (standard library only: the CLI imports this)."""


class SandboxError(RuntimeError):
    """The sandbox itself could not run (not the student's fault); the message names the fix."""
