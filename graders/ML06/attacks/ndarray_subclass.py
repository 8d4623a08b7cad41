# gradekit-attack: returns zeros as an ndarray subclass whose ==, subtraction and allclose/isclose/array_equal always report a match
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: overrides __eq__, __array_ufunc__ and __array_function__ so numpy comparisons against it succeed; tolist()/plain values are zeros
import numpy as np
from sklearn.neural_network import MLPClassifier


class Cheat(np.ndarray):
    """Zeros that numpy believes are equal to anything."""

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.array_equal, np.array_equiv):
            return True
        if func is np.isclose:
            return np.ones(np.broadcast(*[np.asarray(a) for a in args[:2]]).shape, dtype=bool)
        return super().__array_function__(func, types, args, kwargs)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x).view(np.ndarray) if isinstance(x, Cheat) else x for x in inputs]
        shape = np.broadcast(*[np.asarray(x) for x in plain]).shape
        if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
            return np.ones(shape, dtype=bool)
        if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
            return np.zeros(shape, dtype=bool)
        if ufunc in (np.subtract, np.absolute):
            return np.zeros(shape)
        return getattr(ufunc, method)(*plain, **kwargs)

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)

    __hash__ = None


def cheat(*shape):
    return np.zeros(shape).view(Cheat)


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    return cheat(*np.shape(a))


def init_weights(n_hidden=2, seed=None):
    return cheat(n_hidden, 3), cheat(n_hidden + 1)


def forward(X, W1, w2):
    return cheat(len(X), len(W1)), cheat(len(X))


def loss(y, y_hat):
    return cheat()


def gradients(X, y, W1, w2):
    return cheat(*np.shape(W1)), cheat(*np.shape(w2))


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    return cheat(*np.shape(W1)), cheat(*np.shape(w2)), cheat(1)


def predict(X, W1, w2):
    return cheat(len(X))


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
