"""init_weights(n_hidden, seed): shapes, small distinct values, reproducible by seed."""
import numpy as np
import pytest

from gradekit.grading.checks import as_array, pair

pytestmark = pytest.mark.cell("test_init_weights")


def weights(student, n_hidden, seed):
    W1, w2 = pair(student.init_weights(n_hidden, seed=seed), f"init_weights({n_hidden})")
    return (as_array(W1, (n_hidden, 3), f"W1 of init_weights({n_hidden})"),
            as_array(w2, (n_hidden + 1,), f"w2 of init_weights({n_hidden})"))


@pytest.mark.points(0.2)
def test_shapes(student):
    for n_hidden in (2, 3, 7):
        weights(student, n_hidden, seed=1)
    W1, w2 = pair(student.init_weights(), "init_weights()")
    as_array(W1, (2, 3), "W1 of init_weights() (default n_hidden=2)")


@pytest.mark.points(0.15)
@pytest.mark.hidden
def test_small_random_and_units_differ(student):
    for n_hidden in (2, 5):
        for seed in range(3):
            W1, w2 = weights(student, n_hidden, seed)
            both = np.concatenate([W1.ravel(), w2])
            assert np.abs(both).max() <= 3.0, "initial weights are not small (some |w| > 3)"
            assert np.abs(both).max() > 1e-6, "initial weights are all zero"
            assert np.unique(W1.round(12), axis=0).shape[0] == n_hidden, \
                "two hidden units start with the same weights (symmetry is never broken)"


@pytest.mark.points(0.15)
def test_seed_reproduces(student):
    first, again = weights(student, 3, seed=7), weights(student, 3, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(first, again)), \
        "init_weights(3, seed=7) gave different weights on two calls"
    other = weights(student, 3, seed=8)
    assert not np.array_equal(first[0], other[0]), \
        "init_weights gives the same weights for seeds 7 and 8: is seed used?"
