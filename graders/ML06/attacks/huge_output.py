# gradekit-attack: sigmoid and forward each print 100 MB to stdout (plus 10 MB to stderr) before returning wrong values
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: floods a grader that captures output into memory or a log; each call writes a bounded 110 MB
import numpy as np
from sklearn.neural_network import MLPClassifier
import sys

_LINE = "spam " * 200 + "\n"       # ~1 kB


def _flood(mb=100):
    for _ in range(mb * 1024):
        sys.stdout.write(_LINE)
    for _ in range(mb * 100):
        sys.stderr.write(_LINE)


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    _flood()
    return np.zeros_like(np.asarray(a, dtype=float))


def init_weights(n_hidden=2, seed=None):
    return np.zeros((3, n_hidden)), np.zeros(n_hidden)


def forward(X, W1, w2):
    _flood()
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
