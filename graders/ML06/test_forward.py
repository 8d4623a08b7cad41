"""forward(X, W1, w2) -> (Z, y_hat): hidden activations and outputs."""
import numpy as np
import pytest

from gradekit.grading.checks import as_array, close, pair

pytestmark = pytest.mark.cell("test_forward")


def hint(X, W1, w2, Z, y_hat, ref):
    """Name a common mistake that explains a wrong answer, or ''."""
    Xb = np.hstack([np.ones((len(X), 1)), X])
    if close(Z, Xb @ W1.T).all():
        return " Z holds the pre-activations a_j: apply the sigmoid."
    if set(np.unique(y_hat)) <= {0.0, 1.0}:
        return " y_hat holds rounded labels: forward must return probabilities."
    no_bias = ref.forward(X, np.c_[np.zeros(len(W1)), W1[:, 1:]], np.r_[0.0, w2[1:]])
    if close(Z, no_bias[0]).all() or close(y_hat, no_bias[1]).all():
        return " The biases w_j0 / w_30 (input 0 = 1) seem to be missing."
    return ""


def check_forward(student, ref, rng, n, n_hidden, credit):
    X = rng.normal(0, 1.5, size=(n, 2))
    W1, w2 = rng.normal(0, 1, size=(n_hidden, 3)), rng.normal(0, 1, size=n_hidden + 1)
    Z, y_hat = pair(student.forward(X, W1, w2), "forward")
    Z = as_array(Z, (n, n_hidden), f"Z of forward for H={n_hidden}")
    y_hat = as_array(y_hat, (n,), f"y_hat of forward for H={n_hidden}")
    Z_ref, y_ref = ref.forward(X, W1, w2)
    z_ok, y_ok = close(Z, Z_ref).all(), close(y_hat, y_ref).all()
    if not (z_ok and y_ok):
        wrong = " and ".join(n for n, ok in (("Z", z_ok), ("y_hat", y_ok)) if not ok)
        credit.fail(0.5 * (z_ok + y_ok),
                    f"forward with H={n_hidden}: {wrong} wrong." + hint(X, W1, w2, Z, y_hat, ref))


@pytest.mark.points(0.5)
def test_two_hidden_units(student, ref, rng, credit):
    check_forward(student, ref, rng, n=20, n_hidden=2, credit=credit)


@pytest.mark.points(0.5)
@pytest.mark.hidden
def test_five_hidden_units(student, ref, rng, credit):
    check_forward(student, ref, rng, n=30, n_hidden=5, credit=credit)
