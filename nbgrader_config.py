"""nbgrader configuration of the B3M33UI course; the repository root is the course root."""
import os

c = get_config()  # noqa: F821 -- injected by traitlets when nbgrader loads this file

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

# Course layout: source/<assignment>/ -> release/<assignment>/ (nbgrader's default folders).
c.CourseDirectory.course_id = "B3M33UI"
c.CourseDirectory.root = COURSE_ROOT

# Gradebook: run-time data next to this file, never tracked (.gitignore).  generate_assignment
# creates the assignment in it on the fly (GenerateAssignment.create_assignment is True).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")
