# gradekit-mutant: loss defined as loss(y_hat, y): the arguments are swapped
# must-fail: loss
# base: vectorised
import numpy as np


def loss(y_hat, y):
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    prev = np.inf
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        cur = loss(forward(X, W1, w2)[1], y)
        losses.append(cur)
        if prev - cur < eps:
            break
        prev = cur
    return W1, w2, losses
