# gradekit-mutant: sigmoid written as exp(-a) / (1 + exp(a))
# must-fail: sigmoid, forward, gradients
# base: vectorised
import numpy as np


def sigmoid(a):
    a = np.clip(np.asarray(a, dtype=float), -500, 500)
    return np.exp(-a) / (1.0 + np.exp(a))
