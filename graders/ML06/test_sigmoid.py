"""sigmoid(a): elementwise logistic function, any shape, no NaN at extreme inputs."""
import numpy as np
import pytest

from gradekit.grading.checks import as_array, close

pytestmark = pytest.mark.cell("test_sigmoid")


@pytest.mark.points(0.25)
def test_values_keep_shape(student, ref):
    a = np.linspace(-6, 6, 24).reshape(4, 6)
    got = as_array(student.sigmoid(a), a.shape, "sigmoid(a) for a of shape (4, 6)")
    assert close(got, ref.sigmoid(a), rtol=1e-6).all(), \
        "sigmoid values are wrong: expected 1 / (1 + exp(-a)) elementwise"


@pytest.mark.points(0.25)
@pytest.mark.hidden
def test_extreme_inputs(student, ref):
    a = np.array([-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])
    got = as_array(student.sigmoid(a), a.shape, "sigmoid at +-30 and +-1000")
    assert close(got, ref.sigmoid(a), rtol=1e-6, atol=1e-9).all(), \
        "sigmoid is wrong for large |a| (+-30, +-1000)"
