# gradekit-mutant: gradients by centred differences of the student's own loss, not backpropagation
# must-fail: gradients
# base: vectorised
# (its train takes 2000 epochs by default, as such a student's slow training would, so that
# no check of train or xor hinges on a time limit)
import numpy as np


def gradients(X, y, W1, w2):
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    h = 1e-5
    dW1, dw2 = np.zeros_like(W1), np.zeros_like(w2)
    for weights, grad in ((W1, dW1), (w2, dw2)):
        for index in np.ndindex(weights.shape):
            saved = weights[index]
            weights[index] = saved + h
            up = loss(y, forward(X, W1, w2)[1])
            weights[index] = saved - h
            down = loss(y, forward(X, W1, w2)[1])
            weights[index] = saved
            grad[index] = (up - down) / (2 * h)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=2000, eps=1e-7):
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
        if prev - cur < eps:
            break
        prev = cur
    return W1, w2, losses
