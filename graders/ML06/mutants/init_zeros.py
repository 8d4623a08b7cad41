# gradekit-mutant: init_weights returns all-zero weights (hidden units stay identical)
# must-fail: init_weights, xor
# base: vectorised
import numpy as np


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = np.zeros((n_hidden, 3))
    w2 = np.zeros(n_hidden + 1)
    return W1, w2
