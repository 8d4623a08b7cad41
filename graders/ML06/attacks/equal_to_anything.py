# gradekit-attack: every function returns an object that compares equal to anything (__eq__ True, x - y == 0, abs() == 0)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a grader that checks `result == expected` or `abs(result - expected) < tol` accepts any answer; float() of the object is 0
import numpy as np
from sklearn.neural_network import MLPClassifier


class Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __sub__(self, other):
        return 0

    __rsub__ = __sub__

    def __abs__(self):
        return 0

    def __lt__(self, other):
        return True

    __le__ = __lt__

    def __gt__(self, other):
        return False

    __ge__ = __gt__

    def __bool__(self):
        return True

    def __float__(self):
        return 0.0

    def __int__(self):
        return 0

    def __len__(self):
        return 0

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter(())

    def __call__(self, *a, **k):
        return self

    def __getattr__(self, name):          # m.get_params()["activation"] == "logistic"
        if name.startswith("__"):
            raise AttributeError(name)
        return self


ANY = Anything()


# --- wrong implementations ---
ANSWER_TASK1 = ANY
ANSWER_TASK2 = ANY
ANSWER_TASK5 = ANY
XOR_HIDDEN = 1


def sigmoid(a):
    return ANY


def init_weights(n_hidden=2, seed=None):
    return ANY, ANY


def forward(X, W1, w2):
    return ANY, ANY


def loss(y, y_hat):
    return ANY


def gradients(X, y, W1, w2):
    return ANY, ANY


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    return ANY, ANY, ANY


def predict(X, W1, w2):
    return ANY


def make_mlp_221():
    return ANY


def make_xor_mlp():
    return ANY
