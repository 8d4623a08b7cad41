# gradekit-mutant: only the output-layer gradient is computed, dW1 = 0
# must-fail: gradients, train, xor
# base: vectorised
import numpy as np


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w2, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / len(y)
    dw2 = add_ones(Z).T @ delta3
    dW1 = np.zeros_like(W1)
    return dW1, dw2
