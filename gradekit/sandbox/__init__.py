"""The untrusted side of grading: a confined interpreter that answers with plain numbers."""
from .client import Sandbox, SandboxError
from .outcomes import StudentError
from .launch import Limits

__all__ = ["Limits", "Sandbox", "SandboxError", "StudentError"]
