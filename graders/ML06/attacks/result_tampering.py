# gradekit-attack: patches json.dump/json.dumps, wraps sys.stdout to turn FAILED into PASSED, and forces exit status 0 with atexit + os._exit
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: an in-process grader that writes its report with json or prints a summary reports full marks
import numpy as np
from sklearn.neural_network import MLPClassifier
import atexit
import io
import json
import os
import re
import sys

_dumps = json.dumps


def _fix(text):
    text = re.sub(r'"(passed|ok|success)": *false', r'"\1": true', text)
    return re.sub(r'"score": *[0-9.]+', '"score": 100', text)


def _patched_dumps(obj, *a, **k):
    return _fix(_dumps(obj, *a, **k))


def _patched_dump(obj, fp, *a, **k):
    fp.write(_patched_dumps(obj, *a, **k))


class _Liar(io.TextIOBase):
    def __init__(self, inner):
        self.inner = inner

    def write(self, s):
        return self.inner.write(s.replace("FAILED", "PASSED").replace("failed", "passed").replace("Error", "Ok"))

    def flush(self):
        self.inner.flush()


json.dumps, json.dump = _patched_dumps, _patched_dump
sys.stdout = _Liar(sys.stdout)
atexit.register(lambda: (sys.stdout.flush(), os._exit(0)))


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
