"""`gradekit demo`: the grading server's day in one command, on a private copy of the course.

For every assignment with a graders/<A>/demo.toml: releases it (checking release/ is in sync
with source/), saves the exercise's own plots when the assignment names a plots module,
uploads the sample submissions it lists for made-up students, prints their BRUTE reports and
where their feedback pages are, and exports the grades.  Everything it writes goes to
demo_output/ (gitignored): tracked files stay unchanged.

    plots = "demo_plots.py"     # optional: save_plots(course_root, folder) in that module
    [[samples]]
    student = "alice"
    file = "reference/A/solution.py"   # relative to the course root
    what = "the reference solution"
"""
import shutil
from pathlib import Path

from . import release
from ..course.layout import Course, CourseError
from ..dispatch import grader_for
from .export import main as export_main
from ..grading.library import KINDS, read_example
from ..course.settings import load_hook, read_toml
from ..errors import Exit

OUTPUT = "demo_output"


def sample_bytes(path: Path) -> bytes:
    """What a student would upload: a library mutant is its base plus its override."""
    if path.parent.name in KINDS:
        return read_example(path, path.parent.name).source().encode("utf-8")
    return path.read_bytes()


def demo_assignments(course):
    """{assignment: its demo.toml as a dict}, for each assignment that has one."""
    found = {}
    for path in sorted((course.root / "graders").glob("*/demo.toml")):
        found[path.parent.name] = read_toml(path)
    return found


def demo_course(root: Path, assignments) -> Course:
    """A fresh copy of the course under demo_output/ without upload limits."""
    target = root / OUTPUT / "course"
    shutil.rmtree(target, ignore_errors=True)
    course = Course(root).copy_to(target)
    (target / "gradekit.toml").write_text(
        "".join(f"[{name}]\nmax_uploads = 0\nmin_interval_s = 0\n" for name in assignments))
    return course


def save_plots(course, assignment, plots, folder):
    """Run the assignment's plots module (by path: graders/ is no package)."""
    module = load_hook(course.graders_dir(assignment) / plots, f"gradekit_demo_{assignment}")
    module.save_plots(course.root, folder)


def main(*, course_root: Path) -> int:
    """Release, plots, sample uploads and grades export for each demo assignment."""
    root = Path(course_root).resolve()
    assignments = demo_assignments(Course(root))
    if not assignments:
        raise CourseError(f"no graders/<assignment>/demo.toml under {root}")
    course = None
    for assignment, demo in assignments.items():
        print(f"== 1. instructor: gradekit release {assignment}")
        code = release.main(assignment=assignment, course_root=root)
        if code:
            return code
        if demo.get("plots"):
            print(f"\n== 2. the reference solution of {assignment} on the exercise's data")
            save_plots(Course(root), assignment, demo["plots"], root / OUTPUT / "plots")
        course = course or demo_course(root, assignments)
        print(f"\n== 3. grading server: uploads into {course.root.relative_to(root)}")
        for sample in demo.get("samples", []):
            path = root / sample["file"]
            print(f"\n-- gradekit upload {assignment} {path.name} --student {sample['student']}"
                  f"   ({sample.get('what', '')})")
            outcome = grader_for(course, assignment).upload(sample["student"], path.name,
                                                            sample_bytes(path))
            print(outcome["text"])
        print(f"\n== 4. instructor: gradekit export {assignment}")
        export_main(assignment=assignment, course_root=course.root)
        print((course.root / f"grades-{assignment}.csv").read_text())
        print(f"Feedback pages: {OUTPUT}/course/uploads/<student>/{assignment}/*.html; "
              f"plots: {OUTPUT}/plots/")
    print_service_commands(course, assignments)
    return Exit.DONE


def print_service_commands(course, assignments):
    """How to try the web service on the demo course, with tokens made for it."""
    from ..attempts.users import add_user
    samples = [s for demo in assignments.values() for s in demo.get("samples", [])]
    student = samples[0]["student"] if samples else "student"
    token = add_user(course, student, name=student.capitalize())
    teacher = add_user(course, "teacher", role="instructor", name="Teacher")
    print("\n== 5. the course service: students upload in a browser, instructors watch\n"
          f"  cd {course.root}\n"
          "  gradekit web\n"
          f"then open http://127.0.0.1:8000/ and sign in as {student} with the token\n"
          f"  {token}\n"
          f"(the instructor's view: sign in as teacher with {teacher})")
