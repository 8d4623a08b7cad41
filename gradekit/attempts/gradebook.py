"""Record scores in nbgrader's gradebook (what export and formgrader read).

Where: the course database when one is configured (PostgreSQL: grader hosts write grades
from everywhere; nbgrader_config.py asks gradebook_url too, so nbgrader's own commands
agree), else gradebook.db at the course root.  SQLite allows one writer: every write here
holds a lock file and retries on "database is locked" (nbgrader's own commands do not take
our lock), so simultaneous uploads and batch workers never lose a grade.
"""
import random
import tempfile
import time
import warnings

from .database import configured_url, engine_for
from .storage import locked
from ..integrations.toolpath import scripts_on_path

RETRIES = 20


def gradebook_url(course):
    """The configured course database ([database] url, GRADEKIT_DATABASE), else the SQLite
    file gradebook.db at the course root; nbgrader_config.py sets nbgrader's db_url to this."""
    return configured_url(course) or f"sqlite:///{course.root / 'gradebook.db'}"


def open_gradebook(course):
    """nbgrader's Gradebook of the course (created, with alembic, when it does not exist)."""
    from nbgrader.api import Gradebook
    scripts_on_path()
    url = gradebook_url(course)
    if not url.startswith("sqlite"):
        engine_for(course)   # a shared database: its schema is created by one process at a time
    return Gradebook(url)


def ensure_assignment(course, assignment):
    """Create the assignment in the gradebook (nbgrader generate_assignment) when missing."""
    from nbgrader.api import MissingEntry
    with open_gradebook(course) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    # nbgrader adds the assignment and its grade cells as it generates the student version;
    # that goes to a scratch folder, since --force first deletes the release folder that
    # students and other processes may be reading at this moment
    from ..integrations.nbgrader_release import run_nbgrader
    with tempfile.TemporaryDirectory(prefix="gradekit-release-") as scratch:
        run_nbgrader(assignment, course.root, release_dir=scratch)


def ensure_assignment_locked(course, assignment):
    """ensure_assignment under the gradebook's lock (a worker warming up beside others)."""
    with locked(course.root / ".gradebook.lock"):
        ensure_assignment(course, assignment)


def record(course, assignment, student, result, *, timestamp, penalty=0.0):
    """Write result's per-cell scores as the student's submission of `assignment`."""
    def write():
        ensure_assignment(course, assignment)
        _write(course, assignment, student, result, timestamp, penalty)
    _locked_retrying(course, write)


def _locked_retrying(course, write):
    """write() under the gradebook's lock, again while SQLite says "database is locked"."""
    from sqlalchemy.exc import OperationalError
    for attempt in range(RETRIES):
        try:
            with locked(course.root / ".gradebook.lock"):
                write()
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 + random.random() * 0.2 * (attempt + 1))


def record_manual(course, assignment, scores):
    """Write human grades as the manual score of their cells: scores is {student: {grade_id:
    score or None}} (None: needs grading).  Students without a submission (no counted
    attempt recorded yet) are skipped: their scores are written when it is recorded."""
    def write():
        from nbgrader.api import MissingEntry
        with open_gradebook(course) as gradebook:
            for student, cells in scores.items():
                try:
                    submission = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    continue
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.name in cells:
                            grade.manual_score = cells[grade.name]
                            grade.needs_manual_grade = cells[grade.name] is None
            gradebook.db.commit()
    _locked_retrying(course, write)


def _write(course, assignment, student, result, timestamp, penalty):
    from sqlalchemy.exc import SAWarning
    with warnings.catch_warnings(), open_gradebook(course) as gradebook:
        # nbgrader 0.9's add_submission builds related rows before adding them to the session;
        # SQLAlchemy 2 warns about that autoflush order, yet the rows are written correctly.
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student,
                                                           timestamp=timestamp)
        scores = result.cell_scores()
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.name in scores:   # manual cells (free-text answers) stay untouched
                    grade.auto_score = min(scores[grade.name][0], grade.max_score)
                    grade.needs_manual_grade = False
            notebook.late_submission_penalty = penalty or None
        gradebook.db.commit()


def scores(course, assignment):
    """{student: (score, max_score)} from the gradebook, for summaries and tests."""
    from nbgrader.api import MissingEntry
    with open_gradebook(course) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            return {}
        return {s.student.id: (s.score, s.max_score) for s in found.submissions}
