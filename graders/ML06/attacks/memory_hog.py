# gradekit-attack: gradients allocates np.ones((50000, 50000)) (20 GB) and train grows a list of 100 MB blocks
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: tests the sandbox memory limit; run only under a memory limit: the list stops at 32 GB or 60 s, MemoryError is swallowed
import numpy as np
from sklearn.neural_network import MLPClassifier
import time

_HOARD = []


def _grow(limit_gb=32, limit_s=60.0):
    t0 = time.time()
    try:
        while len(_HOARD) < limit_gb * 10 and time.time() - t0 < limit_s:
            _HOARD.append(bytearray(b"x") * (100 << 20))   # filled, so really resident
    except MemoryError:
        pass


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
    try:
        big = np.ones((50000, 50000))
        _HOARD.append(big)
    except MemoryError:
        pass
    return np.zeros_like(W1), np.zeros_like(w2)


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    _grow()
    return W1, w2, [0.0]


def predict(X, W1, w2):
    return np.zeros(len(X), dtype=int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
