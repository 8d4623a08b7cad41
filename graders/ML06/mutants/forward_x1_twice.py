# gradekit-mutant: forward multiplies w_j2 by x1 instead of x2
# must-fail: forward, gradients
# base: loops
import numpy as np


def forward(X, W1, w2):
    X, W1, w2 = np.asarray(X, dtype=float), np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    H = W1.shape[0]
    Z = np.zeros((X.shape[0], H))
    for j in range(H):
        a_j = W1[j, 0] + W1[j, 1] * X[:, 0] + W1[j, 2] * X[:, 0]
        Z[:, j] = sigmoid(a_j)
    a3 = w2[0] + Z @ w2[1:]
    y_hat = sigmoid(a3)
    return Z, y_hat
