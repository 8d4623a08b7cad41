# gradekit-mutant: sigmoid returns the derivative g(a)(1 - g(a)) instead of g(a)
# must-fail: sigmoid, forward, gradients
# base: loops
import numpy as np


def sigmoid(a):
    g = np.exp(-np.logaddexp(0, -np.asarray(a, dtype=float)))
    return g * (1 - g)
