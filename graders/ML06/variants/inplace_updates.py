# gradekit-variant: train updates the passed W1/w2 arrays in place (W1 -= ...) and returns them
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.asarray(a, dtype=float)
    return 0.5 * (1 + np.tanh(a / 2))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W = rng.uniform(-0.5, 0.5, 3 * n_hidden + n_hidden + 1)
    return W[:3 * n_hidden].reshape(n_hidden, 3), W[3 * n_hidden:]


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    Z = sigmoid(W1[:, 0] + X @ W1[:, 1:].T)
    return Z, sigmoid(w2[0] + Z @ w2[1:])


def loss(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    eps = 1e-12
    return float(-np.mean(y * np.log(y_hat + eps) + (1 - y) * np.log(1 - y_hat + eps)))


def gradients(X, y, W1, w2):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / len(y)
    dH = Z * (1 - Z) * np.outer(d3, w2[1:])
    dW1 = np.column_stack([dH.sum(0), dH.T @ X])
    dw2 = np.concatenate([[d3.sum()], d3 @ Z])
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.asarray(W1, dtype=float)   # no copy: the caller's arrays are updated
    w2 = np.asarray(w2, dtype=float)
    losses = []
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if len(losses) >= 2 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5) * 1


def make_mlp_221():
    return MLPClassifier((2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier((10,), activation='logistic', solver='lbfgs', max_iter=5000)
