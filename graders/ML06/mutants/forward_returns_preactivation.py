# gradekit-mutant: forward returns the hidden pre-activations a_j instead of z_j
# must-fail: forward, gradients
# base: vectorised
import numpy as np


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    A = add_ones(X) @ W1.T
    Z = sigmoid(A)
    y_hat = sigmoid(add_ones(Z) @ w2)
    return A, y_hat
