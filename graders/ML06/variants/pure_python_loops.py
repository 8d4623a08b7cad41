# gradekit-variant: pure-Python per-sample and per-weight loops (math.exp, lists inside), larger step, fewer epochs
# must-pass: all
import math
import random

import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def _g(a):
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def sigmoid(a):
    arr = np.asarray(a, dtype=float)
    out = np.empty(arr.shape)
    for idx in np.ndindex(arr.shape):
        out[idx] = _g(float(arr[idx]))
    return out


def init_weights(n_hidden=2, seed=None):
    r = random.Random(seed)
    W1 = [[r.uniform(-0.5, 0.5) for i in range(3)] for j in range(n_hidden)]
    w2 = [r.uniform(-0.5, 0.5) for j in range(n_hidden + 1)]
    return np.array(W1), np.array(w2)


def _forward_lists(X, W1, w2):
    Z, y_hat = [], []
    for x1, x2 in X:
        z = [_g(w[0] + w[1] * x1 + w[2] * x2) for w in W1]
        a3 = w2[0]
        for j in range(len(z)):
            a3 += w2[j + 1] * z[j]
        Z.append(z)
        y_hat.append(_g(a3))
    return Z, y_hat


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    Z, y_hat = _forward_lists(X.tolist(), np.asarray(W1, dtype=float).tolist(), np.asarray(w2, dtype=float).tolist())
    return np.array(Z).reshape(len(X), len(W1)), np.array(y_hat)


def _loss_lists(y, y_hat):
    total = 0.0
    for t, p in zip(y, y_hat):
        p = min(max(p, 1e-15), 1 - 1e-15)
        total -= t * math.log(p) + (1 - t) * math.log(1 - p)
    return total / len(y)


def loss(y, y_hat):
    return _loss_lists(np.ravel(y).astype(float).tolist(), np.ravel(y_hat).astype(float).tolist())


def _grad_lists(X, y, W1, w2):
    N, H = len(X), len(W1)
    dW1 = [[0.0, 0.0, 0.0] for j in range(H)]
    dw2 = [0.0] * (H + 1)
    Z, y_hat = _forward_lists(X, W1, w2)
    for n in range(N):
        d3 = (y_hat[n] - y[n]) / N
        inputs = [1.0, X[n][0], X[n][1]]
        dw2[0] += d3
        for j in range(H):
            z = Z[n][j]
            dw2[j + 1] += d3 * z
            dj = z * (1 - z) * w2[j + 1] * d3
            for i in range(3):
                dW1[j][i] += dj * inputs[i]
    return dW1, dw2


def gradients(X, y, W1, w2):
    dW1, dw2 = _grad_lists(np.asarray(X, dtype=float).tolist(), np.ravel(y).astype(float).tolist(),
                           np.asarray(W1, dtype=float).tolist(), np.asarray(w2, dtype=float).tolist())
    return np.array(dW1), np.array(dw2)


def train(X, y, W1, w2, alpha=3.0, epochs=1500, eps=1e-6):
    X = np.asarray(X, dtype=float).tolist()
    y = np.ravel(y).astype(float).tolist()
    W1 = np.asarray(W1, dtype=float).tolist()
    w2 = np.asarray(w2, dtype=float).tolist()
    losses = []
    for epoch in range(epochs):
        dW1, dw2 = _grad_lists(X, y, W1, w2)
        for j in range(len(W1)):
            for i in range(3):
                W1[j][i] -= alpha * dW1[j][i]
        for k in range(len(w2)):
            w2[k] -= alpha * dw2[k]
        losses.append(_loss_lists(y, _forward_lists(X, W1, w2)[1]))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return np.array(W1), np.array(w2), losses


def predict(X, W1, w2):
    y_hat = forward(X, W1, w2)[1]
    return np.array([1 if p >= 0.5 else 0 for p in y_hat])


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
