"""The broker transport's Celery app: its configuration, its two tasks, the worker.

Imported only where a broker is configured (course/config.py).  Configured for at-least-once
delivery with nothing but JSON on the wire:

  - a job is acknowledged after it ran (acks_late) and handed out again when the worker
    process running it dies (reject_on_worker_lost); each worker process takes one job at a
    time (prefetch 1), so a lost process takes at most one job with it;
  - Redis hands a delivered, unacknowledged job out again after the visibility timeout
    (longer than the hard time limit, so a slow grading is not delivered twice meanwhile);
  - a job names an attempt (jobs.AttemptJob: assignment, student, number, archive), never
    code; JSON is the only content accepted (no pickle).  Results of attempt jobs go to the
    course database (record.py writes the attempt's row); only GradeJobs (`gradekit
    autograde` and `grade`, which record nothing) return their plain JSON result through
    Redis, because their caller is waiting for it.

Grading twice records once (record.py), so a job delivered again is harmless.
"""
import logging
import os
import uuid

from celery import Celery
from celery.signals import worker_process_init, worker_ready

from ..attempts.states import Status
from ..attempts import table as attempts
from ..course.layout import Course
from ..attempts.record import MAX_TRIES, give_up
from . import warm_workers
from .jobs import AttemptJob, GradeJob, job_from_wire
from .leases import Leases
from .local_queue import backoff_s

ATTEMPT_TASK, GRADE_TASK = "gradekit.attempt", "gradekit.grade"
# Redis hands out lower numbers first (kombu's priority steps 0, 3, 6, 9).  Every job goes
# in at PRIORITY, in order; an attempt the sweeper publishes again (its grading host died)
# at LOST_PRIORITY, so at a deadline it does not wait behind the whole burst a second time.
PRIORITY, LOST_PRIORITY = 3, 0
log = logging.getLogger("gradekit.worker")


def make_app(course, settings) -> Celery:
    """The Celery app of the course's queue (clients publish with it, workers run it)."""
    app = Celery("gradekit", set_as_current=False)
    app.conf.update(
        broker_url=settings.broker,
        result_backend=settings.broker,
        task_serializer="json", result_serializer="json",
        accept_content=["json"], result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.time_limit_s,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        result_backend_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        result_expires=3600,
        task_default_queue=settings.name,
        task_default_priority=PRIORITY,
        # a worker keeps reconnecting while the broker is away; a job running when the
        # connection drops is cancelled (it could not be acknowledged) and delivered again
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        # a publisher (an upload) gives up within ~2 s: the attempt then waits for the sweeper
        broker_connection_timeout=2.0,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2,
                                   "interval_step": 0.5, "interval_max": 1.0},
        redis_socket_connect_timeout=3.0,
        # a worker process warms up (imports, a zygote, one stub graded) before its first job
        worker_proc_alive_timeout=300.0,
        worker_hijack_root_logger=False,
    )

    @app.task(name=ATTEMPT_TASK, bind=True, ignore_result=True)
    def attempt_task(task, message):
        return run_attempt(task, course, settings, message)

    @app.task(name=GRADE_TASK)
    def grade_task(message):
        job = job_from_wire(message)
        if not isinstance(job, GradeJob):
            raise ValueError(f"{GRADE_TASK} takes grade jobs, not {job.op}")
        return warm_workers.run(str(course.root), job)   # a GradingResult as plain JSON

    return app


def run_attempt(task, course, settings, message):
    """Grade and record one attempt here, holding its lease (leases.py) all along; our
    failure: retried with backoff (the attempt stays "queued") until record.py marks it
    "error"."""
    job = job_from_wire(message)
    if not isinstance(job, AttemptJob):
        raise ValueError(f"{ATTEMPT_TASK} takes attempt jobs, not {job.op}")
    key = (job.assignment, job.student, job.attempt)
    leases = Leases(settings)
    row = attempts.get(course, *key)
    if row is None or (job.archive is not None and row.archive != job.archive):
        log.warning("no attempt %s with archive %s in this course: job dropped", key, job.archive)
        return
    if row.status in attempts.FINAL and not job.regrade and not row.unrecorded:   # again
        leases.release(key)
        return
    lease = leases.take(key, task.request.id or uuid.uuid4().hex)
    if lease is None:   # another job grades it now (a duplicate: the sweeper's, Redis')
        log.info("attempt %s is being graded by another worker: duplicate job dropped", key)
        return
    if row.status == Status.GRADING and row.tries >= MAX_TRIES:
        # each try was lost (a worker killed, the time limit): a job that keeps killing its
        # worker must not circle for ever
        give_up(course, row, f"grading was interrupted {row.tries} times "
                             "(worker lost or time limit reached)")
        lease.release()
        return
    log.info("grading %s/%s attempt %d (try %d) in worker process %d", job.assignment,
             job.student, job.attempt, row.tries + 1, os.getpid())
    try:
        with lease:   # renewed while the grading runs; lapses if this process dies
            warm_workers.run(str(course.root), job)
    except RuntimeError as exc:   # ours: record.py set the row to queued (tries left) or error
        row = attempts.get(course, *key)
        if row is not None and row.status == Status.QUEUED:
            leases.queued(key, only_if_free=False)
            log.warning("grading %s failed (%s); again in %.0f s", key, exc,
                        backoff_s(row.tries))
            raise task.retry(countdown=backoff_s(row.tries), max_retries=None) from exc
        log.error("grading %s failed for the last time: %s", key, exc)
    lease.release()


def run_worker(course, settings, concurrency, sweeper) -> int:
    """`gradekit worker`: Celery's prefork worker whose processes hold warm zygotes exactly
    like `gradekit serve`'s, plus the sweeper in the main process; until stopped."""
    root, assignments = str(course.root), course.assignments()

    def warm_up(**_):   # in each new worker process, before its first job
        try:
            warm_workers.start(root, assignments, die_with_parent=True)
        except (RuntimeError, OSError) as exc:   # no sandbox here: jobs retry, then "error"
            log.error("worker process %d could not warm up: %s", os.getpid(), exc)
        else:
            log.info("worker process %d is warm", os.getpid())

    worker_process_init.connect(warm_up, weak=False)
    worker_ready.connect(lambda **_: sweeper.start(), weak=False)
    app = make_app(Course(root), settings)
    try:
        app.worker_main(["worker", f"--concurrency={concurrency}", "--pool=prefork",
                         "--loglevel=INFO", f"--hostname=gradekit-{os.getpid()}@%h",
                         f"--queues={settings.name}", "--without-gossip", "--without-mingle"])
    except SystemExit as done:
        return done.code or 0
    finally:
        sweeper.close()
    return 0
