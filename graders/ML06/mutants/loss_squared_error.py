# gradekit-mutant: loss is the mean squared error instead of cross-entropy
# must-fail: loss
# base: vectorised
import numpy as np


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)
    return float(np.mean((y - y_hat) ** 2))
