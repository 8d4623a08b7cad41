"""nbgrader configuration of the B3M33UI course; the repository root is the course root."""
import os

c = get_config()  # noqa: F821 -- injected by traitlets when nbgrader loads this file

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

# Course layout: source/<assignment>/ -> release/<assignment>/ (nbgrader's default folders).
c.CourseDirectory.course_id = "B3M33UI"
c.CourseDirectory.root = COURSE_ROOT

# Gradebook: gradekit's course database when gradekit.toml's [database] url (or
# GRADEKIT_DATABASE) names one, e.g. PostgreSQL shared by every grading host; else run-time
# data next to this file, gradebook.db, never tracked (.gitignore).  Asked of gradekit, so
# nbgrader's commands and gradekit's workers always write the same gradebook.
# generate_assignment creates the assignment in it on the fly (create_assignment is True).
from gradekit.course.layout import Course  # noqa: E402
from gradekit.attempts.gradebook import gradebook_url  # noqa: E402

c.CourseDirectory.db_url = gradebook_url(Course(COURSE_ROOT))

# Autograding never executes student code in a Jupyter kernel: gradekit grades every notebook
# in its sandbox.  Both lists are nbgrader 0.9.6's defaults (nbgrader/converters/autograde.py)
# with one class swapped each; the order is the point:
# - sanitize: ClearOutput drops the student's saved outputs, then RestoreGradeCells (nbgrader's
#   OverwriteCells plus restored grade/solution flags and robust re-adding of deleted grade
#   cells) puts the grade and locked cells back from the gradebook BEFORE anything is graded.
# - autograde: SandboxedGrading replaces Execute and writes each grade cell's outputs; the
#   steps after it only read them: LimitOutput trims, SaveAutoGrades turns outputs into scores
#   (nbgrader's determine_grade), so it must come after us, then late penalties and a final
#   metadata check.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "gradekit.integrations.nbgrader.RestoreGradeCells",   # instead of nbgrader's OverwriteCells
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "gradekit.integrations.nbgrader.SandboxedGrading",    # instead of nbgrader's Execute
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A deleted test cell comes back and is graded like any other (default False: it scored 0 in
# nbgrader while `gradekit grade`, which never needs the test cells, gave it its points).
c.OverwriteCells.add_missing_cells = True
