"""gradients(X, y, W1, w2): every entry against centred differences of the reference loss.

Partial credit per weight.  The message names the wrong weights (w_ji = weight from input i
to unit j, unit 3 = output) and recognises the usual mistakes by recomputing them.

The task is backpropagation, so a gradient that is right at ordinary points is asked once
more where the output unit is confidently wrong (saturated, 1 - y_hat below 1e-16): there
backpropagation's delta3 = y_hat - y is plain arithmetic, but the loss is flat within
rounding (or clipped), so differences of the student's own loss give zeros or noise.
"""
import numpy as np
import pytest

from gradekit.grading.checks import as_array, central_difference, pair

pytestmark = pytest.mark.cell("test_gradients")


def numeric_gradients(ref, X, y, W1, w2):
    """Centred differences of the reference mean cross-entropy: (H, 3), (H+1,)."""
    def objective(W1_, w2_):
        return ref.loss(y, ref.forward(X, W1_, w2_)[1])
    return (central_difference(lambda W: objective(W, w2), W1),
            central_difference(lambda w: objective(W1, w), w2))


def backprop(X, y, W1, w2, ref, squared_error=False, sigmoid_derivative=True, scale=None):
    """The usual derivation with one deliberate slip, to recognise a student's mistake."""
    Z, y_hat = ref.forward(X, W1, w2)
    delta3 = (y_hat - y) * (y_hat * (1 - y_hat) if squared_error else 1.0)
    delta3 = delta3 / (len(y) if scale is None else scale)
    hidden = Z * (1 - Z) if sigmoid_derivative else 1.0
    delta_h = hidden * np.outer(delta3, w2[1:])
    return delta_h.T @ np.c_[np.ones(len(X)), X], np.c_[np.ones(len(Z)), Z].T @ delta3


MISTAKES = {
    "the sign is flipped (delta3 = y - y_hat?)": lambda g, a: (-g[0], -g[1]),
    "it is N times too large: the loss is a mean, divide by N": lambda g, a: (
        g[0] * len(a[1]), g[1] * len(a[1])),
    "it is the squared-error derivative (extra y_hat(1 - y_hat)): with cross-entropy "
    "delta3 = y_hat - y": lambda g, a: backprop(*a, squared_error=True),
    "dW1 is zero: backpropagate delta3 to the hidden units": lambda g, a: (
        np.zeros_like(g[0]), g[1]),
    "the hidden deltas miss the sigmoid derivative z_j(1 - z_j)": lambda g, a: backprop(
        *a, sigmoid_derivative=False),
}


def weight_names(n_hidden):
    """w10 w11 w12 w20 ... for the hidden units, then w30 w31 ... for the output."""
    hidden = [f"w{j + 1}{i}" for j in range(n_hidden) for i in range(3)]
    out = f"w{n_hidden + 1}" if n_hidden > 2 else "w3"
    return hidden + [f"{out}{k}" for k in range(n_hidden + 1)]


SATURATION = 38.0   # output pre-activation a3: sigmoid(38) is 1 - 3e-17, 1.0 in float32


def saturated_point(rng, n_hidden, n=16):
    """X (n, 2), y (n,) half 0, W1 (H, 3), w2 (H+1,) with a3 = 38 +- 1 on every sample:
    the samples of class 0 are confidently wrong, the hidden units are not saturated."""
    X = rng.normal(0, 1.0, size=(n, 2))
    y = np.tile([0.0, 1.0], n // 2)
    W1 = rng.normal(0, 0.7, size=(n_hidden, 3))
    signs = np.where(np.arange(n_hidden) % 2 == 0, 1.0, -1.0)
    w2 = np.r_[SATURATION, signs * 2.0 / n_hidden]
    return X, y, W1, w2


def check_backprop_when_saturated(student, ref, rng, n_hidden, credit):
    """Full points need the backpropagated gradient at a saturated point (module docstring)."""
    X, y, W1, w2 = saturated_point(rng, n_hidden)
    dW1, dw2 = pair(student.gradients(X, y, W1, w2), "gradients")
    got = np.r_[as_array(dW1, W1.shape, "dW1").ravel(), as_array(dw2, w2.shape, "dw2")]
    expected = ref.gradients(X, y, W1, w2)
    want = np.r_[expected[0].ravel(), expected[1]]
    tolerance = 1e-4 * np.abs(want) + 1e-5 * np.abs(want).max() + 1e-9
    if not np.all(np.abs(got - want) <= tolerance):
        credit.fail(0.0, f"H={n_hidden}: the gradient is right at ordinary weights but not "
                         "where the output unit is saturated (y_hat = 1 for y = 0), where "
                         "backpropagation still gives delta3 = y_hat - y: numerical "
                         "differences of the loss do not earn these points")


def check_gradients(student, ref, X, y, W1, w2, credit, rng):
    n_hidden = len(W1)
    dW1, dw2 = pair(student.gradients(X, y, W1, w2), "gradients")
    dW1_raw = np.asarray(dW1, dtype=float) if not isinstance(dW1, dict) else None
    if dW1_raw is not None and dW1_raw.shape == (3, n_hidden) and n_hidden != 3:
        pytest.fail(f"dW1 has shape (3, {n_hidden}): transposed. It must match W1, "
                    f"shape ({n_hidden}, 3), row j-1 = [dE/dwj0, dE/dwj1, dE/dwj2].")
    dW1 = as_array(dW1, W1.shape, f"dW1 (H={n_hidden})")
    dw2 = as_array(dw2, w2.shape, f"dw2 (H={n_hidden})")
    expected = numeric_gradients(ref, X, y, W1, w2)
    got, want = np.r_[dW1.ravel(), dw2], np.r_[expected[0].ravel(), expected[1]]
    # float32 arithmetic and the O(h^2) error of the differences both sit far below this
    tolerance = 1e-4 * np.abs(want) + 1e-5 * np.abs(want).max() + 1e-9
    right = np.abs(got - want) <= tolerance
    if right.all():
        return check_backprop_when_saturated(student, ref, rng, n_hidden, credit)
    names = weight_names(n_hidden)
    wrong = [n for n, ok in zip(names, right) if not ok]
    n_first = W1.size
    layers = ("the output layer is right" if right[n_first:].all() else
              "the hidden layer is right" if right[:n_first].all() else "both layers are wrong")
    message = (f"H={n_hidden}: dE/d{', dE/d'.join(wrong[:6])}{' ...' if len(wrong) > 6 else ''} "
               f"{'is' if len(wrong) == 1 else 'are'} wrong, {layers}.")
    args = (X, y, W1, w2, ref)
    for mistake, recompute in MISTAKES.items():
        guess = recompute(expected, args)
        guess_flat = np.r_[np.ravel(guess[0]), np.ravel(guess[1])]
        if np.allclose(got[~right], guess_flat[~right], rtol=1e-4, atol=1e-9):
            message += f" It looks like {mistake}."
            break
    credit.fail(right.mean(), message)


@pytest.mark.points(1.0)
def test_two_hidden_units(student, ref, rng, credit):
    X, y = rng.normal(0, 1.5, size=(12, 2)), rng.integers(0, 2, size=12).astype(float)
    W1, w2 = rng.normal(0, 1, size=(2, 3)), rng.normal(0, 1, size=3)
    check_gradients(student, ref, X, y, W1, w2, credit, rng)


@pytest.mark.points(1.0)
@pytest.mark.hidden
def test_four_hidden_units(student, ref, rng, credit):
    X, y = rng.normal(0, 1.5, size=(40, 2)), rng.integers(0, 2, size=40).astype(float)
    W1, w2 = rng.normal(0, 1, size=(4, 3)), rng.normal(0, 1, size=5)
    check_gradients(student, ref, X, y, W1, w2, credit, rng)
