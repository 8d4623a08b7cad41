# gradekit-variant: train does online (per-sample) SGD in a fixed cyclic order; loss recorded after each epoch
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.asarray(a, dtype=float)
    return np.where(a >= 0, 1 / (1 + np.exp(-np.abs(a))), np.exp(-np.abs(a)) / (1 + np.exp(-np.abs(a))))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, size=(n_hidden, 3))
    w2 = rng.uniform(-0.5, 0.5, size=n_hidden + 1)
    return W1, w2


def forward(X, W1, w2):
    X = np.atleast_2d(np.asarray(X, dtype=float))
    Z = sigmoid(np.c_[np.ones(len(X)), X] @ W1.T)
    y_hat = sigmoid(np.c_[np.ones(len(Z)), Z] @ w2)
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    p = np.clip(y_hat, 1e-15, 1 - 1e-15)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def gradients(X, y, W1, w2):
    X, y = np.atleast_2d(np.asarray(X, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / len(y)
    dw2 = np.c_[np.ones(len(Z)), Z].T @ d3
    dW1 = (Z * (1 - Z) * np.outer(d3, w2[1:])).T @ np.c_[np.ones(len(X)), X]
    return dW1, dw2


def train(X, y, W1, w2, alpha=0.3, epochs=150, eps=1e-6):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    losses = []
    for epoch in range(epochs):
        for n in range(len(y)):                      # one update per sample
            dW1, dw2 = gradients(X[n:n + 1], y[n:n + 1], W1, w2)
            W1 -= alpha * dW1
            w2 -= alpha * dw2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if epoch > 0 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
