# Frozen base of the mutants headed `# base: vectorised`: numpy matrix products, a
# clipped naive sigmoid.  A complete, correct submission (10/10).  Every such mutant
# is this file plus its override: to change one, edit the mutant, never this file.
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.clip(np.asarray(a, dtype=float), -500, 500)
    return 1.0 / (1.0 + np.exp(-a))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, size=(n_hidden, 3))
    w2 = rng.uniform(-0.5, 0.5, size=n_hidden + 1)
    return W1, w2


def add_ones(A):
    return np.hstack([np.ones((A.shape[0], 1)), A])


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    Z = sigmoid(add_ones(X) @ W1.T)
    y_hat = sigmoid(add_ones(Z) @ w2)
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w2, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / len(y)
    dw2 = add_ones(Z).T @ delta3
    delta_h = Z * (1 - Z) * np.outer(delta3, w2[1:])
    dW1 = delta_h.T @ add_ones(X)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    prev = np.inf
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        cur = loss(y, forward(X, W1, w2)[1])
        losses.append(cur)
        if prev - cur < eps:
            break
        prev = cur
    return W1, w2, losses


def predict(X, W1, w2):
    _, y_hat = forward(X, W1, w2)
    return (y_hat >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
