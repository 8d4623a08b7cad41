# gradekit-mutant: forward rounds y_hat to 0/1 inside the forward pass
# must-fail: forward, gradients
# base: vectorised
import numpy as np


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    Z = sigmoid(add_ones(X) @ W1.T)
    y_hat = np.round(sigmoid(add_ones(Z) @ w2))
    return Z, y_hat
