# gradekit-mutant: train never updates the hidden-layer weights W1
# must-fail: train, xor
# base: loops
import numpy as np


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        w2 -= alpha * dw2
        _, y_hat = forward(X, W1, w2)
        losses.append(loss(y, y_hat))
        if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, losses
