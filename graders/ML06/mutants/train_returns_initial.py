# gradekit-mutant: train updates copies but returns the initial weights
# must-fail: train, xor
# base: vectorised
import numpy as np


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1_new = np.array(W1, dtype=float)
    w2_new = np.array(w2, dtype=float)
    losses = []
    prev = np.inf
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1_new, w2_new)
        W1_new = W1_new - alpha * dW1
        w2_new = w2_new - alpha * dw2
        cur = loss(y, forward(X, W1_new, w2_new)[1])
        losses.append(cur)
        if prev - cur < eps:
            break
        prev = cur
    return W1, w2, losses
