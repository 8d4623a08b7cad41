# gradekit-variant: stable sigmoid via np.where, init rand()-0.5, predict with y_hat > 0.5
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(-np.abs(a))                       # never overflows
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.random((n_hidden, 3)) - 0.5
    w2 = rng.random(n_hidden + 1) - 0.5
    return W1, w2


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    a = W1[:, [0]].T + X @ W1[:, 1:].T
    Z = sigmoid(a)
    y_hat = sigmoid(w2[0] + Z @ w2[1:])
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-10, 1 - 1e-10)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / X.shape[0]
    dw2 = np.concatenate(([d3.sum()], Z.T @ d3))
    dj = Z * (1 - Z) * np.outer(d3, w2[1:])
    dW1 = np.concatenate((dj.sum(axis=0)[:, None], dj.T @ X), axis=1)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.copy(W1).astype(float), np.copy(w2).astype(float)
    losses = []
    best = np.inf
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        L = loss(y, forward(X, W1, w2)[1])
        losses.append(L)
        if best - L < eps:
            break
        best = L
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] > 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
