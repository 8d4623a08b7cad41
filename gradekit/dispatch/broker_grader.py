"""The broker's Grader: an upload received here, its job published and its row waited for;
gradings sent to the workers when one answers, else done here (broker.py: the queue).

Standard library only at import time (Celery and the database load when used).
"""
import logging
import time
from types import SimpleNamespace

from ..attempts.states import Status
from ..course.config import queue_settings
from ..errors import Exit, NotGradedYet
from .broker import BrokerQueue, publish_errors
from .jobs import AttemptJob, GradeJob, Grader, from_wire, job_to_wire

log = logging.getLogger("gradekit.queue")
PING_S = 1.0   # how long to wait for a worker's answer before grading here instead
POLL_S = 0.2   # how often a waiting client looks at the attempt's row or the results


def connect(course, assignment, fallback):
    """A BrokerGrader when the course configures a broker, else None."""
    settings = queue_settings(course)
    return None if settings is None else BrokerGrader(course, assignment, fallback,
                                                      BrokerQueue(course, settings=settings))


class BrokerGrader(Grader):
    """Uploads queued for the workers; gradings sent to them when one answers, else here."""

    transport = "broker"

    def __init__(self, course, assignment, fallback, queue):
        super().__init__(course, assignment)
        self.fallback, self.queue = fallback, queue
        self._answering = None

    def upload(self, student, filename, data) -> dict:
        """Receive here, publish the job, wait for a worker to record the attempt."""
        from ..attempts.receive import receive
        received = receive(self.course, self.assignment, student, filename, data)
        if received.outcome is not None:
            return received.outcome
        number = received.number
        if not self.queue.submit(AttemptJob(self.assignment, student, number,
                                            archive=received.archive)):
            raise NotGradedYet(
                f"the job queue {self.queue.settings.shown_broker} is not reachable: attempt "
                f"{number} is archived and queued, and is graded once the broker is back")
        row = wait_final(self.course, (self.assignment, student, number),
                         self.queue.settings.wait_s)
        if row is None:
            raise NotGradedYet(
                f"no worker graded attempt {number} within {self.queue.settings.wait_s:g} s: "
                f"it stays queued and is graded when a worker takes it (gradekit worker)")
        return outcome(row)

    def grade(self, filename, data, *, loaded=None, **identity):
        results = self._remote([GradeJob(self.assignment, filename, data, **identity)])
        if results is None or results[0] is None:
            return self.fallback.grade(filename, data, loaded=loaded, **identity)
        return results[0]

    def grade_many(self, paths, jobs=None):
        """All files to the workers at once, as the results come (the busy hosts pull)."""
        from pathlib import Path
        paths = list(paths)
        results = self._remote([GradeJob(self.assignment, Path(p).name, Path(p).read_bytes())
                                for p in paths], as_done=True)
        if results is None:
            yield from self.fallback.grade_many(paths, jobs)
            return
        for index, result in results:
            if result is None:   # the worker failed it: here, as if no broker ran
                result = next(iter(self.fallback.grade_many([paths[index]])))[1]
            yield index, result

    def _remote(self, jobs, as_done=False):
        """GradingResults of GradeJobs from the workers (None for a failed one), in order,
        or (index, result) as they finish; None when no worker answers."""
        from .celery_app import GRADE_TASK
        try:
            if self._answering is None:
                self._answering = bool(self.queue.app.control.ping(timeout=PING_S))
            if not self._answering:
                return None
            sent = [self.queue.app.send_task(GRADE_TASK, args=[job_to_wire(job)],
                                             queue=self.queue.settings.name) for job in jobs]
        except (*publish_errors(), RuntimeError):   # Celery's "result store unreachable"
            return None
        done = _collect(sent, self.queue.settings.time_limit_s * max(1, len(sent)))
        return done if as_done else [result for _, result in sorted(done)]


def _collect(sent, patience_s):
    """[(index, GradingResult or None)] as the workers finish, in finishing order."""
    pending, done = dict(enumerate(sent)), []
    deadline = time.monotonic() + patience_s
    try:
        while pending and time.monotonic() < deadline:
            for index, handle in list(pending.items()):
                if handle.ready():
                    del pending[index]
                    ok = handle.successful()
                    done.append((index, from_wire(handle.get(propagate=False)) if ok else None))
                    handle.forget()
            time.sleep(POLL_S if pending else 0)
    except (*publish_errors(), RuntimeError) as exc:   # the broker went away: the rest here
        log.warning("results from the workers lost (%s): grading the rest here", exc)
    return done + [(index, None) for index in pending]


def wait_final(course, key, patience_s):
    """The attempt's row once it is final (graded, rejected, error), or None in time."""
    from ..attempts import table as attempts
    deadline = time.monotonic() + patience_s
    while True:
        row = attempts.get(course, *key)
        if row.status in attempts.FINAL:
            return row
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_S)


def outcome(row) -> dict:
    """What `gradekit upload` prints for an attempt a worker finished: the BRUTE report
    rebuilt from the stored JSON report (record.py wrote it), or the stored outcome."""
    from ..attempts.record import stored_outcome
    from ..reports.render import attempt_tail, to_text
    if row.status != Status.GRADED:
        return stored_outcome(row)   # "error" raises RuntimeError (exit 3, no upload used)
    report = row.report_json()
    shown = SimpleNamespace(**dict(report, tests=[SimpleNamespace(**t) for t in report["tests"]]))
    text = to_text(shown) + attempt_tail(row.number, row.archive,
                                         report["upload"].get("late_penalty"))
    return {"code": Exit.DONE, "json": report, "text": text}
