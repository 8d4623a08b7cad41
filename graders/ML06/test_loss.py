"""loss(y, y_hat): the MEAN cross-entropy."""
import numpy as np
import pytest

from gradekit.grading.checks import scalar

pytestmark = pytest.mark.cell("test_loss")


def hint(got, y, y_hat, ref):
    """Name a common mistake that explains a wrong loss, or ''."""
    expected = ref.loss(y, y_hat)
    if np.isclose(got, expected * len(y), rtol=1e-5):
        return " It is N times too large: take the mean over samples, not the sum."
    if np.isclose(got, np.mean((y - y_hat) ** 2), rtol=1e-5):
        return " That is the squared error: the task asks for cross-entropy."
    return ""


def check_loss(student, ref, y, y_hat):
    got = float(scalar(student.loss(y, y_hat), "loss(y, y_hat)"))
    expected = ref.loss(y, y_hat)
    assert np.isfinite(got), "loss is NaN or inf"
    assert np.isclose(got, expected, rtol=1e-5, atol=1e-9), \
        f"loss(y, y_hat) is wrong for N={len(y)}." + hint(got, y, y_hat, ref)


@pytest.mark.points(0.5)
def test_mean_cross_entropy(student, ref, rng):
    y = rng.integers(0, 2, size=25).astype(float)
    check_loss(student, ref, y, rng.uniform(0.05, 0.95, size=25))


@pytest.mark.points(0.5)
@pytest.mark.hidden
def test_confident_predictions_and_one_class(student, ref, rng):
    y = rng.integers(0, 2, size=100).astype(float)
    y_hat = np.where(y == 1, rng.uniform(0.9, 1 - 1e-6, 100), rng.uniform(1e-6, 0.1, 100))
    check_loss(student, ref, y, y_hat)
    check_loss(student, ref, np.ones(10), rng.uniform(0.2, 0.99, size=10))
