# gradekit-mutant: init_weights scales the random weights by 100 (saturated sigmoids)
# must-fail: init_weights
# base: vectorised
import numpy as np


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, size=(n_hidden, 3)) * 100
    w2 = rng.uniform(-0.5, 0.5, size=n_hidden + 1) * 100
    return W1, w2
