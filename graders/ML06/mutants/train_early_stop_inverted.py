# gradekit-mutant: early-stop test inverted (prev - cur > eps), stops after one epoch
# must-fail: train, xor
# base: vectorised
import numpy as np


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    prev = np.inf
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        cur = loss(y, forward(X, W1, w2)[1])
        losses.append(cur)
        if prev - cur > eps:
            break
        prev = cur
    return W1, w2, losses
