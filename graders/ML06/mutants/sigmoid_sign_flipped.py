# gradekit-mutant: sigmoid as 1 / (1 + exp(a)) (lost the minus sign)
# must-fail: sigmoid, forward, gradients
# base: vectorised
import numpy as np


def sigmoid(a):
    a = np.clip(np.asarray(a, dtype=float), -500, 500)
    return 1.0 / (1.0 + np.exp(a))
