# gradekit-mutant: init_weights returns W1 transposed, shape (3, H)
# must-fail: init_weights, xor
# base: loops
import numpy as np


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.random((3, n_hidden)) - 0.5
    w2 = rng.random(n_hidden + 1) - 0.5
    return W1, w2
