"""The students' plots by question: drawn from the numbers kept at grading, grouped by features."""
import numpy as np
import pytest

from gradekit.attempts import artifacts
from gradekit.attempts.storage import beside
from gradekit.attempts.table import Attempt
from gradekit.course.layout import Course
from gradekit.manual import plots
from gradekit.manual.groups import group_vectors
from gradekit.manual.questions import question

PNG = b"\x89PNG\r\n\x1a\n"


def attempt(student):
    return Attempt("ML06", student, 1, "ML06.ipynb", f"uploads/{student}/ML06/1-ab.ipynb",
                   "2026-01-01T00:00:00+00:00", "graded")


@pytest.fixture(scope="module")
def course(course_root, tmp_path_factory, reference, datasets):
    """A course copy whose students' graded attempts kept: the reference's networks (ref),
    networks trained 20 epochs only (short), junk (junk), nothing (old: graded before)."""
    course = Course(course_root).copy_to(tmp_path_factory.mktemp("plots") / "course")

    def trained(data, hidden, epochs):
        X, y = datasets[data]
        W1, w2, losses = reference.train(X, y, *reference.init_weights(hidden, seed=0),
                                         epochs=epochs)
        return {"W1": W1, "w2": w2, "losses": np.asarray(losses), "seed": 0}
    kept = {
        "ref": {"train_data_1": trained("data_1", 2, 3000), "train_xor": trained("data_xor", 4, 3000)},
        "short": {"train_data_1": trained("data_1", 2, 20), "train_xor": trained("data_xor", 4, 20)},
        "junk": {"train_data_1": {"W1": np.full((2, 3), np.nan), "w2": np.zeros(3),
                                  "losses": "not numbers", "seed": 0}},
    }
    for student, numbers in kept.items():
        artifacts.write(beside(course, attempt(student).archive, artifacts.SUFFIX), numbers)
    return course


def task(course, number):
    return question(course, "ML06", f"task{number:02d}_plot")


def test_pictures_of_a_task_are_the_students_own(course):
    for number in (8, 9, 10, 14):
        drawn = plots.pictures(course, attempt("ref"), task(course, number))
        assert len(drawn) == 1, number
        caption, png = drawn[0]
        assert png.startswith(PNG) and 5_000 < len(png) < 150_000 and caption
    assert plots.pictures(course, attempt("ref"), task(course, 12)) == []   # nothing kept
    assert plots.pictures(course, attempt("old"), task(course, 9)) == []
    assert plots.pictures(course, attempt("junk"), task(course, 8)) == []   # losses not numbers
    assert plots.pictures(course, attempt("short"), task(course, 9)) != \
        plots.pictures(course, attempt("ref"), task(course, 9))


def test_features_say_how_far_a_students_plot_is_from_the_reference(course):
    for number in (8, 9, 10, 14):
        reference = plots.reference_features(course, "ML06", task(course, number))
        good = plots.plot_features(course, attempt("ref"), task(course, number))
        poor = plots.plot_features(course, attempt("short"), task(course, number))
        assert all(0.0 <= v <= 1.0 for v in reference + good + poor), number
        assert np.abs(np.subtract(good, reference)).max() < np.abs(np.subtract(poor, reference)).max()
    assert plots.plot_features(course, attempt("ref"), task(course, 9))[0] > 0.95   # agreement
    assert plots.plot_features(course, attempt("short"), task(course, 8))[0] > 0.9   # did not fall
    assert plots.plot_features(course, attempt("old"), task(course, 9)) is None
    assert plots.plot_features(course, attempt("ref"), task(course, 12)) is None
    assert plots.plot_features(course, attempt("junk"), task(course, 8)) is None
    assert plots.reference_features(course, "ML06", task(course, 12)) == []


def test_a_class_of_plots_groups_with_the_hooks_words(course):
    q = task(course, 8)
    features = {s: plots.plot_features(course, attempt(s), q) for s in ("ref", "short", "old")}
    found = group_vectors(features, plots.reference_features(course, "ML06", q),
                          describe=plots.describer(course, "ML06", q))
    assert [g.members for g in found] == [("old",), ("ref",), ("short",)]
    assert found[0].label == "nothing drawn" and found[2].label.startswith("loss did not fall in ")
    assert found[1].label.startswith("loss fell to ")
