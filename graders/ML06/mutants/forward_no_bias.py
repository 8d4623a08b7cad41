# gradekit-mutant: forward ignores the bias weights w_j0 and w_30
# must-fail: forward, gradients
# base: vectorised
import numpy as np


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    Z = sigmoid(X @ W1[:, 1:].T)
    y_hat = sigmoid(Z @ w2[1:])
    return Z, y_hat
