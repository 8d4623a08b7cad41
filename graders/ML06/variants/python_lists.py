# gradekit-variant: every public function returns plain Python lists / floats (tolist()) instead of ndarrays
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def _sig(a):
    return 1 / (1 + np.exp(-np.clip(a, -700, 700)))


def _forward(X, W1, w2):
    Z = _sig(W1[:, 0] + X @ W1[:, 1:].T)
    return Z, _sig(w2[0] + Z @ w2[1:])


def _gradients(X, y, W1, w2):
    Z, y_hat = _forward(X, W1, w2)
    d3 = (y_hat - y) / len(y)
    dW1 = (Z * (1 - Z) * np.outer(d3, w2[1:])).T @ np.c_[np.ones(len(X)), X]
    return dW1, np.c_[np.ones(len(Z)), Z].T @ d3


def _loss(y, y_hat):
    p = np.clip(y_hat, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def sigmoid(a):
    return _sig(np.asarray(a, dtype=float)).tolist()


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)).tolist(), rng.uniform(-0.5, 0.5, n_hidden + 1).tolist()


def forward(X, W1, w2):
    Z, y_hat = _forward(np.asarray(X, float), np.asarray(W1, float), np.asarray(w2, float))
    return Z.tolist(), y_hat.tolist()


def loss(y, y_hat):
    return _loss(np.asarray(y, float), np.asarray(y_hat, float))


def gradients(X, y, W1, w2):
    dW1, dw2 = _gradients(np.asarray(X, float), np.asarray(y, float), np.asarray(W1, float), np.asarray(w2, float))
    return dW1.tolist(), dw2.tolist()


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    X, y = np.asarray(X, float), np.asarray(y, float)
    W1, w2 = np.array(W1, float), np.array(w2, float)
    losses = []
    for _ in range(epochs):
        dW1, dw2 = _gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        losses.append(_loss(y, _forward(X, W1, w2)[1]))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1.tolist(), w2.tolist(), losses


def predict(X, W1, w2):
    return [int(p >= 0.5) for p in forward(X, W1, w2)[1]]


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=[2], activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=[8], activation='logistic', solver='lbfgs', max_iter=5000)
