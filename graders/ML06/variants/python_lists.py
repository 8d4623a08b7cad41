# gradekit-variant: every function returns plain Python lists / floats (tolist()) instead of ndarrays
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    out = 1 / (1 + np.exp(-np.clip(np.asarray(a, dtype=float), -700, 700)))
    return out.tolist()


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)).tolist(), rng.uniform(-0.5, 0.5, n_hidden + 1).tolist()


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(w2, float)
    Z = np.asarray(sigmoid(W1[:, 0] + X @ W1[:, 1:].T))
    y_hat = np.asarray(sigmoid(w2[0] + Z @ w2[1:]))
    return Z.reshape(len(X), -1).tolist(), y_hat.reshape(-1).tolist()


def loss(y, y_hat):
    y, p = np.asarray(y, float), np.clip(np.asarray(y_hat, float), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, float), np.asarray(y, float), np.asarray(w2, float)
    Z, y_hat = forward(X, W1, w2)
    Z, y_hat = np.asarray(Z), np.asarray(y_hat)
    d3 = (y_hat - y) / len(y)
    X1 = np.c_[np.ones(len(X)), X]
    Z1 = np.c_[np.ones(len(Z)), Z]
    dW1 = ((Z * (1 - Z) * np.outer(d3, w2[1:])).T @ X1).tolist()
    return dW1, (Z1.T @ d3).tolist()


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.array(W1, float), np.array(w2, float)
    losses = []
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * np.asarray(dW1)
        w2 = w2 - alpha * np.asarray(dw2)
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1.tolist(), w2.tolist(), losses


def predict(X, W1, w2):
    return [int(p >= 0.5) for p in forward(X, W1, w2)[1]]


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=[2], activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=[8], activation='logistic', solver='lbfgs', max_iter=5000)
