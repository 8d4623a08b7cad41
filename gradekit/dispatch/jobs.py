"""What crosses the grading seam: the Grader interface, jobs in and results out as plain JSON.

A job is its identity and inputs (assignment, file name, bytes; an upload's student, and for
an upload's grading its attempt and archive); a result is a GradingResult's fields with numpy
arrays tagged as sandbox/inside/codec.py encodes them.  Never pickle: both ends are trusted,
but a transport may be another process, another version or another machine.
"""
import base64
from dataclasses import asdict, dataclass
from pathlib import Path

from ..attempts.states import Status


@dataclass(frozen=True)
class GradeJob:
    """Grade one file; student, attempt and archive say which upload it is, if any."""

    assignment: str
    filename: str
    data: bytes
    student: str | None = None
    attempt: int | None = None
    archive: str | None = None   # the archived upload, relative to the course root

    op = "grade"


@dataclass(frozen=True)
class UploadJob:
    """A whole BRUTE-style upload: archive, check, grade, record, report (attempts/receive.py)."""

    assignment: str
    student: str
    filename: str
    data: bytes

    op = "upload"


@dataclass(frozen=True)
class AttemptJob:
    """Grade and record a received attempt (record.grade_attempt): its identity only, no
    bytes and no code; the worker reads the archive.  Safe to deliver more than once."""

    assignment: str
    student: str
    attempt: int
    regrade: bool = False
    archive: str | None = None   # when given, the worker grades only an attempt with this
                                 # archive (a stale job of a reset database grades nothing)

    op = "attempt"


JOB_KINDS = {kind.op: kind for kind in (GradeJob, UploadJob, AttemptJob)}


def job_to_wire(job) -> dict:
    """A job as one JSON object: {"op": "grade" | "upload" | "attempt", ...fields}, the
    file's bytes (if any) as base64 in "data"."""
    fields = {k: v for k, v in asdict(job).items() if v is not None}
    if "data" in fields:
        fields["data"] = base64.b64encode(job.data).decode("ascii")
    return {"op": job.op, **fields}


def job_from_wire(message: dict):
    """The job a JSON object describes (TypeError/KeyError/ValueError when it is none)."""
    fields = dict(message)
    kind = JOB_KINDS[fields.pop("op", "grade")]
    if kind is not AttemptJob:
        fields["data"] = base64.b64decode(fields["data"], validate=True)
    return kind(**fields)


def to_wire(result) -> dict:
    """A GradingResult as plain JSON values (arrays of the graders' artifacts tagged)."""
    data = dict(vars(result), tests=[vars(t) for t in result.tests])
    data["artifacts"] = encode_arrays(result.artifacts)
    return data


def from_wire(data: dict):
    """The GradingResult that to_wire gave."""
    from ..grading.results import GradingResult, TestResult
    data = dict(data)
    tests = [TestResult(**t) for t in data.pop("tests")]
    artifacts = decode_arrays(data.pop("artifacts"))
    return GradingResult(**data, tests=tests, artifacts=artifacts)


def encode_arrays(value):
    """Plain JSON values of nested dicts and lists holding numpy arrays (arrays tagged)."""
    from ..sandbox.inside import codec
    if isinstance(value, codec.np.ndarray):
        return codec.encode_input(value)
    if isinstance(value, dict):
        return {k: encode_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_arrays(v) for v in value]
    return value


def decode_arrays(value):
    """The nested values encode_arrays gave, arrays as numpy arrays again."""
    from ..sandbox.inside import codec
    if isinstance(value, dict) and "__ndarray__" in value:
        return codec.decode_input(value)
    if isinstance(value, dict):
        return {k: decode_arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_arrays(v) for v in value]
    return value


class Grader:
    """How attempts of one assignment are graded; grader_for() picks the transport."""

    transport = ""   # "local", "warm", ...

    def __init__(self, course, assignment):
        self.course, self.assignment = course, assignment

    def grade(self, filename, data, *, loaded=None, **identity):
        """Grade one file's bytes -> GradingResult ('rejected' for bad input).

        loaded: the caller's Submission of these bytes, which a transport grading in this
        process may use instead of loading them again; identity: student, attempt, archive.
        Raises RuntimeError when the grading infrastructure failed (not the student's fault).
        """
        raise NotImplementedError

    def grade_file(self, path):
        """Grade a file on disk; one that cannot be read gives a 'rejected' result."""
        from ..grading.results import GradingResult
        from ..submissions.load import Rejected, read_upload
        try:
            data = read_upload(path)
        except Rejected as exc:
            return GradingResult(self.assignment, Status.REJECTED, error=str(exc))
        return self.grade(Path(path).name, data)

    def grade_many(self, paths, jobs=None):
        """Yield (index in paths, GradingResult) as gradings finish, about `jobs` at a time;
        one our infrastructure failed to grade is a result with status 'error'."""
        raise NotImplementedError

    def upload(self, student, filename, data) -> dict:
        """The whole upload (receive.py): {"code": exit code, "json": report, "text": BRUTE}."""
        raise NotImplementedError
