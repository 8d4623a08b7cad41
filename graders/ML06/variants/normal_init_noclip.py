# gradekit-variant: init normal(0, 0.1), loss without np.clip (np.where picks the log term), bool predict cast to int
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
    return rng.normal(0, 0.1, (n_hidden, 3)), rng.normal(0, 0.1, n_hidden + 1)


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    Z = sigmoid(np.column_stack([np.ones(len(X)), X]) @ W1.T)
    return Z, sigmoid(np.column_stack([np.ones(len(Z)), Z]) @ w2)


def loss(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    p_true = np.where(y == 1, y_hat, 1 - y_hat)   # probability of the true class
    return float(-np.mean(np.log(p_true)))


def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - np.asarray(y, dtype=float)) / len(X)
    dw2 = np.column_stack([np.ones(len(Z)), Z]).T @ delta3
    delta2 = Z * (1 - Z) * delta3[:, None] * w2[None, 1:]
    dW1 = delta2.T @ np.column_stack([np.ones(len(X)), X])
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    losses = []
    while len(losses) < epochs:
        dW1, dw2 = gradients(X, y, W1, w2)
        W1, w2 = W1 - alpha * dW1, w2 - alpha * dw2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if len(losses) >= 2 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
