"""predict(X, W1, w2) -> (N,) labels 0/1, class 1 where y_hat >= 0.5."""
import numpy as np
import pytest

from gradekit.grading.checks import as_array

pytestmark = pytest.mark.cell("test_predict")


def check_predict(student, ref, rng, n_hidden):
    X = rng.normal(0, 2, size=(60, 2))
    while True:   # both labels well represented, or a constant answer could pass
        W1, w2 = rng.normal(0, 2, size=(n_hidden, 3)), rng.normal(0, 2, size=n_hidden + 1)
        if 0.25 <= ref.predict(X, W1, w2).mean() <= 0.75:
            break
    clear = np.abs(ref.forward(X, W1, w2)[1] - 0.5) > 1e-6   # ties would test rounding only
    got = as_array(student.predict(X, W1, w2), (60,), f"predict for H={n_hidden}")
    assert set(np.unique(got)) <= {0.0, 1.0}, "predict should return labels 0 and 1 only"
    wrong = int(np.sum(got[clear] != ref.predict(X, W1, w2)[clear]))
    assert wrong == 0, f"predict gives the wrong label for {wrong} of {clear.sum()} points (H={n_hidden})"


@pytest.mark.points(0.25)
def test_two_hidden_units(student, ref, rng):
    check_predict(student, ref, rng, 2)


@pytest.mark.points(0.25)
@pytest.mark.hidden
def test_three_hidden_units(student, ref, rng):
    check_predict(student, ref, rng, 3)
