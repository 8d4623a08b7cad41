# gradekit-mutant: loss returns the summed instead of the mean cross-entropy
# must-fail: loss
# base: loops
import numpy as np


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    ce = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    return float(ce.sum())
