"""make_mlp_221(): an unfitted MLPClassifier with the 2-2-1 architecture that fits data_1."""
import numpy as np
import pytest

from gradekit.grading.checks import describe

pytestmark = pytest.mark.cell("test_sklearn_221")


@pytest.mark.points(0.4)
def test_architecture(student):
    model = student.sklearn("make_mlp_221", fits=[])
    assert model["class"] == "MLPClassifier", \
        f"make_mlp_221 should return an MLPClassifier, got {model['class']}"
    sizes = model["params"].get("hidden_layer_sizes")
    assert np.atleast_1d(sizes).tolist() == [2], \
        f"hidden_layer_sizes should be (2,) for 2-2-1, got {describe(sizes) if not isinstance(sizes, (int, tuple, list)) else sizes}"
    assert model["params"].get("activation") == "logistic", \
        f"activation should be 'logistic' (sigmoid), got {model['params'].get('activation')!r}"


@pytest.mark.points(0.6)
@pytest.mark.hidden
def test_fits_data_1(student, data, mlp_accuracy):
    best = mlp_accuracy(student, "make_mlp_221", data.band, data.band_test,
                            layers=[(2, 2), (2, 1)])
    assert best >= 0.95, \
        f"make_mlp_221 reaches only {best:.0%} on data_1-like points (need 95%, best of 3 seeds)"
