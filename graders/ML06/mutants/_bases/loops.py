# Frozen base of the mutants headed `# base: loops`: a loop over hidden units, a
# logaddexp sigmoid.  A complete, correct submission (10/10).  Every such mutant is
# this file plus its override: to change one, edit the mutant, never this file.
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False  # data_1 is not linearly separable
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    return np.exp(-np.logaddexp(0, -np.asarray(a, dtype=float)))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.random((n_hidden, 3)) - 0.5
    w2 = rng.random(n_hidden + 1) - 0.5
    return W1, w2


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    H = W1.shape[0]
    Z = np.zeros((X.shape[0], H))
    for j in range(H):
        a_j = W1[j, 0] + W1[j, 1] * X[:, 0] + W1[j, 2] * X[:, 1]
        Z[:, j] = sigmoid(a_j)
    a3 = w2[0] + Z @ w2[1:]
    y_hat = sigmoid(a3)
    return Z, y_hat


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    ce = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    return float(ce.mean())


def gradients(X, y, W1, w2):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    W1, w2 = np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    N, H = X.shape[0], W1.shape[0]
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / N
    dw2 = np.zeros(H + 1)
    dw2[0] = delta3.sum()
    dW1 = np.zeros((H, 3))
    for j in range(H):
        dw2[j + 1] = np.sum(delta3 * Z[:, j])
        delta_j = Z[:, j] * (1 - Z[:, j]) * w2[j + 1] * delta3
        dW1[j, 0] = np.sum(delta_j)
        dW1[j, 1] = np.sum(delta_j * X[:, 0])
        dW1[j, 2] = np.sum(delta_j * X[:, 1])
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        _, y_hat = forward(X, W1, w2)
        losses.append(loss(y, y_hat))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    y_hat = forward(X, W1, w2)[1]
    return np.where(y_hat >= 0.5, 1, 0)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=3000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(6,), activation='logistic', solver='lbfgs', max_iter=3000)
