# gradekit-attack: wrong code plus patched pytest.approx, unittest asserts and builtins (AssertionError, all, abs)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: pytest.approx equals anything, unittest asserts are no-ops, `except AssertionError` in the grader stops matching, all() is always True, abs() is always 0
import numpy as np
from sklearn.neural_network import MLPClassifier
import builtins
import sys
import types
import unittest


class _Approx:
    def __init__(self, *a, **k):
        pass

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


try:
    import pytest
except ImportError:
    pytest = types.ModuleType("pytest")
    sys.modules["pytest"] = pytest
pytest.approx = _Approx
for _name in dir(unittest.TestCase):
    if _name.startswith("assert"):
        setattr(unittest.TestCase, _name, lambda self, *a, **k: None)
builtins.AssertionError = type("AssertionError", (Exception,), {})
builtins.all = lambda iterable: True
builtins.abs = lambda x: 0


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
