# gradekit-mutant: predict labels y_hat < 0.5 as class 1
# must-fail: predict
# base: loops
import numpy as np


def predict(X, W1, w2):
    y_hat = forward(X, W1, w2)[1]
    return np.where(y_hat < 0.5, 1, 0)
