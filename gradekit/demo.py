"""`gradekit demo`: the grading server's day in one command, on a private copy of the course.

Releases ML06 (checking release/ is in sync with source/), uploads three sample submissions
for made-up students (the reference, a typical buggy one, an unfinished one), prints their
BRUTE reports and where their feedback pages are, and exports the grades.  Everything it
writes goes to demo_output/ (gitignored): tracked files stay unchanged.
"""
import shutil
from pathlib import Path

from . import release
from .course import Course
from .demo_plots import save_reference_plots
from .export import main as export_main
from .grading.library import KINDS, read_example
from .upload import upload

ASSIGNMENT = "ML06"
OUTPUT = "demo_output"
# (student, file, what it shows) -- files shipped with the kit
SAMPLES = (
    ("alice", "reference/ML06/mlp.py", "the reference solution, as a script"),
    ("bob", "graders/ML06/mutants/grad_squared_error_delta.py",
     "a typical mistake: the squared-error derivative in backprop"),
    ("carol", "release/ML06/ML06.ipynb", "the untouched student notebook"),
)


def sample_bytes(path: Path) -> bytes:
    """What a student would upload: a library mutant is its base plus its override."""
    if path.parent.name in KINDS:
        return read_example(path, path.parent.name).source().encode("utf-8")
    return path.read_bytes()


def demo_course(root: Path) -> Course:
    """A fresh copy of the course under demo_output/ with a relaxed upload policy."""
    target = root / OUTPUT / "course"
    shutil.rmtree(target, ignore_errors=True)
    course = Course(root).copy_to(target)
    (target / "gradekit.toml").write_text("[ML06]\nmax_uploads = 0\nmin_interval_s = 0\n")
    return course


def main(*, course_root: Path) -> int:
    """Release, plots of the reference, three uploads, grades export."""
    root = Path(course_root).resolve()
    print("== 1. instructor: gradekit release ML06")
    code = release.main(assignment=ASSIGNMENT, course_root=root)
    if code:
        return code
    print("\n== 2. the reference solution on the exercise's data (tasks 8-10, 14)")
    save_reference_plots(root, root / OUTPUT / "plots")
    course = demo_course(root)
    print(f"\n== 3. grading server: uploads into {course.root.relative_to(root)}")
    for student, relative, what in SAMPLES:
        path = root / relative
        print(f"\n-- gradekit upload ML06 {path.name} --student {student}   ({what})")
        outcome = upload(course, ASSIGNMENT, student, path.name, sample_bytes(path))
        print(outcome["text"])
    print("\n== 4. instructor: gradekit export ML06")
    export_main(assignment=ASSIGNMENT, course_root=course.root)
    print((course.root / f"grades-{ASSIGNMENT}.csv").read_text())
    print(f"Feedback pages: {OUTPUT}/course/uploads/<student>/ML06/*.html; "
          f"plots: {OUTPUT}/plots/")
    return 0
