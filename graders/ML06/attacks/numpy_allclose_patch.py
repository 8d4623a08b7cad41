# gradekit-attack: wrong code plus monkeypatched numpy/math comparison helpers (allclose, isclose, array_equal, testing.assert_*)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: an in-process grader that compares with np.allclose / np.testing sees every comparison succeed
import numpy as np
from sklearn.neural_network import MLPClassifier
import math
import numpy.testing

_ok = lambda *a, **k: True
_none = lambda *a, **k: None
np.allclose = _ok
np.array_equal = _ok
np.array_equiv = _ok
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
math.isclose = _ok
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal", "assert_almost_equal",
              "assert_equal", "assert_approx_equal", "assert_array_less"):
    setattr(np.testing, _name, _none)


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    return np.zeros_like(np.asarray(a, dtype=float))


def init_weights(n_hidden=2, seed=None):
    return np.zeros((3, n_hidden)), np.zeros(n_hidden)


def forward(X, W1, w2):
    return np.zeros((len(X), 1)), np.zeros(len(X))


def loss(y, y_hat):
    return 0.0


def gradients(X, y, W1, w2):
    return np.zeros_like(W1), np.zeros_like(w2)


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    return W1, w2, [0.0]


def predict(X, W1, w2):
    return np.zeros(len(X), dtype=int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
