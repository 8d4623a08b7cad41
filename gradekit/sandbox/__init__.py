"""The untrusted side of grading: a confined interpreter that answers with plain numbers."""
from .client import Sandbox, SandboxError, StudentError
from .launch import Limits

__all__ = ["Limits", "Sandbox", "SandboxError", "StudentError"]
