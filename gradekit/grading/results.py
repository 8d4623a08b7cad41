"""Grading results as plain dataclasses; `to_json` gives the pinned report schema."""
from dataclasses import asdict, dataclass, field, replace

from ..attempts.states import Status
from ..reports.render import visible_output


@dataclass
class TestResult:
    """One grader test: what it is worth, what it got, what the student may see."""

    name: str
    score: float
    max_score: float
    status: str            # passed | failed | error | timeout
    visibility: str        # visible | hidden
    output: str = ""
    cell: str = ""         # the nbgrader grade cell this test scores (grade_id)


@dataclass
class GradingResult:
    """A graded (or rejected) submission, Gradescope-like."""

    assignment: str
    status: str                         # a Status: graded | rejected | error
    score: float = 0.0
    max_score: float = 0.0
    tests: list = field(default_factory=list)
    submission: dict = field(default_factory=dict)
    sandbox: str = ""
    duration_s: float = 0.0
    load: list = field(default_factory=list)     # [{"unit": label, "error": text}] failed units
    error: str = ""
    timing: dict = field(default_factory=dict)   # seconds per stage, for benchmarks
    artifacts: dict = field(default_factory=dict)  # plain numbers kept by graders for feedback

    def cell_scores(self):
        """Score and max score per nbgrader grade cell."""
        cells = {}
        for test in self.tests:
            got, most = cells.get(test.cell, (0.0, 0.0))
            cells[test.cell] = (got + test.score, most + test.max_score)
        return cells

    def to_json(self):
        """The pinned JSON report (a rejected input reports status and error only)."""
        if self.status == Status.REJECTED:
            return {"assignment": self.assignment, "status": Status.REJECTED, "error": self.error}
        # not asdict(self) alone: it deep-copies the artifacts (loss histories of 20,000
        # floats), 50 ms of a warm upload, only for them to be dropped
        report = asdict(replace(self, timing={}, artifacts={}))
        del report["error"], report["timing"], report["artifacts"]
        for test, row in zip(self.tests, report["tests"]):
            row.pop("cell")
            row["output"] = visible_output(test)   # hidden tests: one line
        report["score"] = round(self.score, 4)
        report["duration_s"] = round(self.duration_s, 3)
        return report
