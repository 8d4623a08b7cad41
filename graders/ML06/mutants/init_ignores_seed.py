# gradekit-mutant: init_weights uses the global np.random.rand and ignores seed
# must-fail: init_weights
# base: loops
import numpy as np


def init_weights(n_hidden=2, seed=None):
    W1 = np.random.rand(n_hidden, 3) - 0.5
    w2 = np.random.rand(n_hidden + 1) - 0.5
    return W1, w2
