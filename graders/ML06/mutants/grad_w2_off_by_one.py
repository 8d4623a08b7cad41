# gradekit-mutant: backprop uses w2[j] (w2[0] is the bias) instead of w2[j + 1]
# must-fail: gradients
# base: loops
import numpy as np


def gradients(X, y, W1, w2):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    W1, w2 = np.asarray(W1, dtype=float), np.asarray(w2, dtype=float)
    N, H = X.shape[0], W1.shape[0]
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / N
    dw2 = np.zeros(H + 1)
    dw2[0] = delta3.sum()
    dW1 = np.zeros((H, 3))
    for j in range(H):
        dw2[j + 1] = np.sum(delta3 * Z[:, j])
        delta_j = Z[:, j] * (1 - Z[:, j]) * w2[j] * delta3
        dW1[j, 0] = np.sum(delta_j)
        dW1[j, 1] = np.sum(delta_j * X[:, 0])
        dW1[j, 2] = np.sum(delta_j * X[:, 1])
    return dW1, dw2
