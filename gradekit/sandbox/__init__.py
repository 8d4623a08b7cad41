"""The untrusted side of grading: a confined interpreter that answers with plain numbers."""
from .client import Sandbox, SandboxError
from .outcomes import StudentError
from .launch import ResourceLimits

__all__ = ["ResourceLimits", "Sandbox", "SandboxError", "StudentError"]
