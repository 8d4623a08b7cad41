"""What a student's code did, as the trusted side records it: a failed call, a loaded unit."""
from dataclasses import dataclass

from ..errors import StudentFault


class StudentError(StudentFault):
    """A student call that produced no usable value; kind says why."""

    KINDS = ("missing", "not_implemented", "exception", "bad_value", "timeout", "crashed")

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


@dataclass
class UnitOutcome:
    """What happened to one cell or top-level statement while loading."""

    label: str
    error: str | None
    output: str = ""
