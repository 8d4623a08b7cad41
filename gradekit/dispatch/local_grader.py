"""Local transport: one attempt graded in this process, a batch in a process pool.

Also the far end of every remote transport: run_job() executes a job that came over the
wire.  Standard library only at import time (the graders' libraries load when used).
"""
from .jobs import AttemptJob, Grader, UploadJob, to_wire


def run_job(course, job, **options) -> dict:
    """Execute a job here; the plain JSON to answer: an upload's or attempt's outcome
    ({"code", "json", "text"}) or a grading's result.

    options: LocalGrader's (a warm worker passes its zygote as starter).
    """
    grader = LocalGrader(course, job.assignment, **options)
    if isinstance(job, AttemptJob):
        from ..attempts.record import grade_attempt
        return grade_attempt(course, job.assignment, job.student, job.attempt, grader=grader,
                             regrade=job.regrade)
    if isinstance(job, UploadJob):
        return grader.upload(job.student, job.filename, job.data)
    return to_wire(grader.grade(job.filename, job.data, student=job.student,
                                attempt=job.attempt, archive=job.archive))


class LocalGrader(Grader):
    """Grades here.  starter: a warm worker's zygote (commands/serve.py); limits: Sandbox
    keywords."""

    transport = "local"

    def __init__(self, course, assignment, *, starter=None, **limits):
        super().__init__(course, assignment)
        self.limits = limits
        self.options = {**limits, **({"starter": starter} if starter is not None else {})}

    def grade(self, filename, data, *, loaded=None, **identity):
        from ..grading import run
        if loaded is not None:
            return run.grade_submission(self.course, self.assignment, loaded, **self.options)
        return run.grade_bytes(self.course, self.assignment, filename, data, **self.options)

    def grade_file(self, path):
        from ..grading import run
        return run.grade_path(self.course, self.assignment, path, **self.options)

    def grade_many(self, paths, jobs=None):
        from ..grading.pool import grade_many   # each worker starts its own sandboxes
        return grade_many(self.course, self.assignment, paths, jobs=jobs, **self.limits)

    def upload(self, student, filename, data, *, grader=None):
        """The whole upload here; its attempt is graded by `grader` (default: here too)."""
        from ..attempts.receive import upload
        return upload(self.course, self.assignment, student, filename, data,
                      grader=grader or self)
