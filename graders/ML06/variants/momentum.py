# gradekit-variant: full-batch gradient descent with (mild) momentum in train
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -np.asarray(a, dtype=float)))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)), rng.uniform(-0.5, 0.5, n_hidden + 1)


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    Z = sigmoid(X @ W1[:, 1:].T + W1[:, 0])
    return Z, sigmoid(Z @ w2[1:] + w2[0])


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, W1, w2):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / len(y)
    dw2 = np.r_[delta3.sum(), Z.T @ delta3]
    delta = Z * (1 - Z) * delta3[:, None] * w2[1:]
    dW1 = np.c_[delta.sum(axis=0), delta.T @ X]
    return dW1, dw2


def train(X, y, W1, w2, alpha=0.5, epochs=20000, eps=1e-7, beta=0.3):
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    v1, v2 = np.zeros_like(W1), np.zeros_like(w2)
    losses = []
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        v1 = beta * v1 - alpha * dW1
        v2 = beta * v2 - alpha * dw2
        W1 += v1
        w2 += v2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
