# gradekit-mutant: train ignores its data and start weights and returns weights fitted offline on data_1
# must-fail: train, xor
# base: vectorised
import numpy as np


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    # fitted once on data_1.csv, printed and pasted here
    W1 = np.array([[-4.804, 5.987, -6.025], [-5.183, -6.821, 6.667]])
    w2 = np.array([6.86, -15.026, -14.983])
    final = loss(y, forward(X, W1, w2)[1])
    losses = [final] * (epochs if eps < 0 else 1)
    return W1, w2, losses
