"""Course policy for uploads: an assignment's table of gradekit.toml (course/config.py reads
and checks it).

    [ASSIGNMENT]
    deadline = 2026-12-20T23:59:00+01:00   # TOML datetime with offset; omit for none
    late_penalty = "per_day:0.1"           # "none", "zero", or "per_day:FRACTION" of max score
    max_uploads = 30                        # accepted uploads per student (0 = unlimited)
    min_interval_s = 30                     # seconds between a student's uploads
    counts = "latest"                       # which attempt goes to the gradebook: latest|best
    free_errors = 3                         # "error" attempts per student that use no upload
"""
import math
from dataclasses import dataclass
from datetime import datetime, timezone

from ..attempts.states import Status


@dataclass(frozen=True)
class Policy:
    """Upload rules of one assignment."""

    deadline: datetime | None = None
    late_penalty: str = "none"
    max_uploads: int = 0
    min_interval_s: float = 0.0
    counts: str = "latest"
    free_errors: int = 3

    def uploads_used(self, outcomes) -> list[bool]:
        """Which of a student's attempts use up an upload, given each one's outcome in
        order ("refused", "error", anything else).  Refused ones never do; those our
        infrastructure failed to grade do not either, up to `free_errors` of them: later
        ones do, so that errors can never buy unlimited uploads."""
        used, errors = [], 0
        for outcome in outcomes:
            errors += outcome == "error"
            used.append(outcome != "refused" and (outcome != "error" or
                                                  errors > self.free_errors))
        return used

    def uploads_spent(self, outcomes) -> int:
        """How many of a student's attempts (outcomes oldest first) used up an upload."""
        return sum(self.uploads_used(outcomes))

    def rank(self, attempt: int, score: float):
        """The order in which attempts compete to count: the highest rank counts.  Latest:
        the newer attempt; best: the higher score after penalty, the earlier one on a tie."""
        return (score, -attempt) if self.counts == "best" else attempt

    def replaces(self, current, attempt: int, score: float) -> bool:
        """Does attempt (number, score after penalty) take the place of `current`, the
        counted {"attempt", "score"} or None?  The counted attempt itself, recorded again,
        still counts."""
        if current is None or current["attempt"] == attempt:
            return True
        return self.rank(attempt, score) > self.rank(current["attempt"], current["score"])

    def counted(self, rows):
        """The attempt that counts among one student's attempt rows (graded ones that were
        published as counting), or None."""
        graded = [r for r in rows if r.status == Status.GRADED and r.counts]
        if not graded:
            return None
        return max(graded, key=lambda r: self.rank(r.number, r.points))

    def charges_error(self, earlier_errors: int) -> str:
        """What a student is told of one more "error" attempt after `earlier_errors`."""
        if earlier_errors < self.free_errors:
            return "no points taken, no upload used up"
        return (f"no points taken, but it uses up an upload: more than {self.free_errors} "
                "of your uploads could not be graded (the instructors see them)")

    def penalty(self, submitted: datetime, max_score: float) -> float:
        """Points taken off an upload at `submitted` (UTC-aware)."""
        if self.deadline is None or submitted <= self.deadline:
            return 0.0
        if self.late_penalty == "zero":
            return max_score
        if self.late_penalty.startswith("per_day:"):
            days = math.ceil((submitted - self.deadline).total_seconds() / 86400)
            return min(max_score, days * float(self.late_penalty.split(":", 1)[1]) * max_score)
        return 0.0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
