# gradekit-mutant: output delta of squared error: (y_hat - y) * y_hat * (1 - y_hat)
# must-fail: gradients
# base: vectorised
import numpy as np


def gradients(X, y, W1, w2):
    X, y, w2 = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w2, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    dw2 = add_ones(Z).T @ delta3
    delta_h = Z * (1 - Z) * np.outer(delta3, w2[1:])
    dW1 = delta_h.T @ add_ones(X)
    return dW1, dw2
