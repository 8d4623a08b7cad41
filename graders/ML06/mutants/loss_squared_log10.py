# gradekit-mutant: cross-entropy written with log10 and squared terms
# must-fail: loss
# base: loops
import numpy as np


def loss(y, y_hat):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    ce = (y * np.log10(y_hat) + (1 - y) * np.log10(1 - y_hat)) ** 2
    return float(ce.mean())
