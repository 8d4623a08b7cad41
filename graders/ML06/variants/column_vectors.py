# gradekit-variant: works with column vectors internally; forward returns y_hat of shape (N, 1)
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    return np.exp(-np.logaddexp(0, -np.asarray(a, dtype=float)))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)), rng.uniform(-0.5, 0.5, n_hidden + 1)


def forward(X, W1, w2):
    X = np.asarray(X, float)
    X1 = np.hstack([np.ones((len(X), 1)), X])          # (N, 3)
    Z = sigmoid(X1 @ np.asarray(W1, float).T)           # (N, H)
    Z1 = np.hstack([np.ones((len(X), 1)), Z])           # (N, H+1)
    y_hat = sigmoid(Z1 @ np.asarray(w2, float).reshape(-1, 1))   # (N, 1)
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, float).reshape(-1, 1)
    p = np.clip(np.asarray(y_hat, float).reshape(-1, 1), 1e-15, 1 - 1e-15)
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))


def gradients(X, y, W1, w2):
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1, 1)
    w2c = np.asarray(w2, float).reshape(-1, 1)
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / len(y)                            # (N, 1)
    dw2 = np.hstack([np.ones((len(X), 1)), Z]).T @ d3    # (H+1, 1)
    dH = Z * (1 - Z) * (d3 @ w2c[1:].T)                  # (N, H)
    dW1 = dH.T @ np.hstack([np.ones((len(X), 1)), X])    # (H, 3)
    return dW1, dw2.ravel()


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.array(W1, float), np.array(w2, float)
    losses, last = [], None
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1, w2 = W1 - alpha * dW1, w2 - alpha * dw2
        L = loss(y, forward(X, W1, w2)[1])
        losses.append(L)
        if last is not None and last - L < eps:
            break
        last = L
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int).ravel()


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
