"""attempts.gradebook: the assignment enters nbgrader's gradebook without touching release/."""
from gradekit.attempts import gradebook
from gradekit.course.layout import Course


def test_a_missing_assignment_is_added_while_the_release_stays_untouched(tmp_path, course_root):
    course = Course(course_root).copy_to(tmp_path / "course")
    released = course.release_dir("ML06") / "ML06.ipynb"
    stamp, content = released.stat().st_mtime_ns, released.read_bytes()
    gradebook.ensure_assignment(course, "ML06")
    with gradebook.open_gradebook(course) as book:
        cells = {cell.name for cell in book.find_assignment("ML06").notebooks[0].grade_cells}
    assert {"test_gradients", "task3_architecture"} <= cells
    # students download release/ while a worker adds the assignment: it is never rewritten
    assert (released.stat().st_mtime_ns, released.read_bytes()) == (stamp, content)
    assert sorted(p.name for p in released.parent.iterdir()) == sorted(
        p.name for p in (course_root / "release" / "ML06").iterdir())
