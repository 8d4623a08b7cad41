"""Feedback pages: plots drawn from the graders' numbers, student text escaped, no crash on gaps."""
import numpy as np
import pytest

from gradekit.course.layout import Course
from gradekit.reports.feedback import pictures, render_html, write_feedback
from gradekit.grading import results
from gradekit.grading.run import grade_path

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def course(course_root):
    return Course(course_root)


@pytest.fixture(scope="module")
def artifacts(reference, datasets):
    """What the graders keep for the reference (seed 0), with fewer epochs to stay quick."""
    kept = {}
    for key, data, hidden in (("train_data_1", "data_1", 2), ("train_xor", "data_xor", 4)):
        X, y = datasets[data]
        W1, w2, losses = reference.train(X, y, *reference.init_weights(hidden, seed=0),
                                         epochs=3000)
        kept[key] = {"W1": W1, "w2": w2, "losses": losses, "seed": 0}
    return kept


def graded(tests=(), artifacts=None, **fields):
    """A GradingResult as gradekit's graders would report it."""
    tests = list(tests) or [results.TestResult("test_sigmoid::test_values_keep_shape", 0.25, 0.25,
                                               "passed", "visible", "", "test_sigmoid")]
    fields = {"submission": {"filename": "ML06.ipynb", "sha256": "ab" * 32}, **fields}
    return results.GradingResult("ML06", "graded", score=sum(t.score for t in tests),
                                 max_score=sum(t.max_score for t in tests), tests=tests,
                                 sandbox="bubblewrap", artifacts=artifacts or {}, **fields)


def test_figures_are_small_pngs_for_the_reference(course, artifacts):
    drawn = pictures(graded(artifacts=artifacts), course)
    assert [p.name for p in drawn] == ["boundary_data_1", "losses_data_1", "boundary_xor"]
    for picture in drawn:
        assert picture.png.startswith(PNG), picture.name
        assert 5_000 < len(picture.png) < 150_000, picture.name
    page = render_html(graded(artifacts=artifacts), drawn)
    assert page.count("src='data:image/png;base64,") == 3 and "Not drawn" not in page


def test_student_text_is_escaped(course):
    printed = "check failed\n--- your code printed ---\n<script>alert('x')</script>\n"
    tests = [results.TestResult("test_loss::test_mean_cross_entropy", 0.0, 0.5, "failed",
                                "visible", printed, "test_loss")]
    result = graded(tests, load=[{"unit": "cell 3", "error": "<img src=x onerror=alert(1)>"}],
                    submission={"filename": "<b>me</b>.ipynb", "sha256": "<i>"})
    page = render_html(result, [])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page and "<b>me</b>" not in page and "<i>" not in page


def test_hidden_tests_show_one_line():
    tests = [results.TestResult("test_xor::test_own_mlp_solves_xor", 0.0, 0.5, "failed", "hidden",
                                "reaches only 50%\nsecret detail", "test_xor")]
    page = render_html(graded(tests), [])
    assert "reaches only 50%" in page and "secret detail" not in page and "(private)" in page


def test_missing_or_broken_artifacts_skip_pictures(course, tmp_path):
    assert [p.png for p in pictures(graded(), course)] == [None, None, None]
    path = write_feedback(graded(), course, tmp_path / "sub" / "feedback.html")
    assert path.read_text().count("Not drawn") == 3
    broken = {"train_data_1": {"W1": np.full((2, 3), np.nan), "w2": np.zeros(3),
                               "losses": "not numbers", "seed": 0}}
    drawn = {p.name: p for p in pictures(graded(artifacts=broken), course)}
    assert drawn["losses_data_1"].png is None and drawn["boundary_xor"].png is None
    assert "the numbers your code returned could not be drawn" in render_html(
        graded(artifacts=broken), list(drawn.values()))


def test_rejected_upload_page_says_why():
    result = results.GradingResult("ML06", "rejected", error="notebook is not valid JSON <here>")
    page = render_html(result, [])
    assert "could not be graded" in page and "&lt;here&gt;" in page


@pytest.mark.slow
def test_page_for_a_graded_reference_has_pictures_and_no_grader_source(course, tmp_path):
    result = grade_path(course, "ML06", course.reference_dir("ML06") / "mlp.py")
    page = write_feedback(result, course, tmp_path / "feedback.html").read_text()
    assert page.count("data:image/png") == 3 and "10.00 / 10.00" in page
    for path in course.graders_dir("ML06").glob("*.py"):
        leaked = [line.strip() for line in path.read_text().splitlines()
                  if len(line.strip()) > 30 and line.strip() in page]
        assert leaked == [], path.name
