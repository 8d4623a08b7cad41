# gradekit-variant: float32 arithmetic throughout (weights, activations, gradients, losses)
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

F = np.float32
ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.clip(np.asarray(a, dtype=F), F(-80), F(80))
    return F(1) / (F(1) + np.exp(-a))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, (n_hidden, 3)).astype(F)
    w2 = rng.uniform(-0.5, 0.5, n_hidden + 1).astype(F)
    return W1, w2


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, F), np.asarray(W1, F), np.asarray(w2, F)
    Z = sigmoid(X @ W1[:, 1:].T + W1[:, 0])
    y_hat = sigmoid(Z @ w2[1:] + w2[0])
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, F)
    p = np.clip(np.asarray(y_hat, F), F(1e-7), F(1 - 1e-7))
    return np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p), dtype=F)


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, F), np.asarray(y, F), np.asarray(w2, F)
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / F(len(y))
    dw2 = np.concatenate([[d3.sum()], Z.T @ d3]).astype(F)
    dH = Z * (1 - Z) * d3[:, None] * w2[1:]
    dW1 = np.column_stack([dH.sum(axis=0), dH.T @ X]).astype(F)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.array(W1, F), np.array(w2, F)
    alpha = F(alpha)
    losses = []
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(np.int32)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
