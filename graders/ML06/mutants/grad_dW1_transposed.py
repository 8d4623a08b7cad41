# gradekit-mutant: dW1 computed as X1^T delta, shape (3, H)
# must-fail: gradients, train, xor
# base: vectorised
import numpy as np


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w2, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / len(y)
    dw2 = add_ones(Z).T @ delta3
    delta_h = Z * (1 - Z) * np.outer(delta3, w2[1:])
    dW1 = add_ones(X).T @ delta_h
    return dW1, dw2
