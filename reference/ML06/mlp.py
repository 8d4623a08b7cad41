"""Reference solution of ML06: a 2-H-1 sigmoid MLP trained with cross-entropy and backprop.

This file is the single source of truth for the exercise's reference answers.  The solution
blocks of source/ML06/ML06.ipynb must compute the same values (tests/test_reference_sync.py).
It is never shown to students and never enters the grading sandbox.

Weight layout (pinned student API): for H hidden units
    W1: (H, 3), row j-1 = [w_j0, w_j1, w_j2]  (bias, weight of x1, weight of x2)
    w2: (H+1,)  = [w_30, w_31, ..., w_3H]    (bias, weights of z_1..z_H)
"""
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False   # one perceptron cannot classify data_1: it is not linearly separable
ANSWER_TASK2 = 2       # two linear boundaries separate it
ANSWER_TASK5 = 9       # 2-2-1 with biases: 2*3 + 3 weights
XOR_HIDDEN = 4         # hidden units with which our own init_weights/train solve XOR


def sigmoid(a):
    """Logistic function g(a) = 1 / (1 + e^-a), elementwise.

    a: array of any shape.  Written as exp(-log(1 + e^-a)) so that |a| = 1000 neither
    overflows nor warns.
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(a, dtype=float)))


def init_weights(n_hidden=2, seed=None):
    """Small random initial weights; returns W1: (H, 3), w2: (H+1,).

    Small values keep the sigmoids in their linear range, where gradients are largest;
    random values break the symmetry between hidden units.
    """
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, size=(n_hidden, 3))
    w2 = rng.uniform(-0.5, 0.5, size=n_hidden + 1)
    return W1, w2


def _with_bias(A):
    """A: (N, K) -> (N, K+1) with a leading column of ones (input 0 = 1)."""
    return np.hstack([np.ones((A.shape[0], 1)), A])


def forward(X, W1, w2):
    """Forward pass.  X: (N, 2), W1: (H, 3), w2: (H+1,) -> Z: (N, H), y_hat: (N,)."""
    X = np.asarray(X, dtype=float)
    Z = sigmoid(_with_bias(X) @ np.asarray(W1, dtype=float).T)   # a_j = w_j0 + x1 w_j1 + x2 w_j2
    y_hat = sigmoid(_with_bias(Z) @ np.asarray(w2, dtype=float))  # a_3 = w_30 + sum_j z_j w_3j
    return Z, y_hat


def loss(y, y_hat):
    """Mean cross-entropy.  y: (N,) of 0/1, y_hat: (N,) in (0, 1) -> float."""
    y = np.asarray(y, dtype=float).ravel()
    y_hat = np.clip(np.asarray(y_hat, dtype=float).ravel(), 1e-15, 1 - 1e-15)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, W1, w2):
    """Gradient of loss(y, forward(X, W1, w2)[1]); returns dW1: (H, 3), dw2: (H+1,).

    With a sigmoid output and cross-entropy, dE/da3 = z3 - y (= delta3); the mean over
    N samples divides it by N.  delta_j = z_j (1 - z_j) w_3j delta3, dE/dw_ji = delta_j * input_i.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    w2 = np.asarray(w2, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / len(y)                      # (N,)
    dw2 = _with_bias(Z).T @ delta3                     # (H+1,)
    delta_h = Z * (1 - Z) * np.outer(delta3, w2[1:])   # (N, H)
    dW1 = delta_h.T @ _with_bias(X)                    # (H, 3)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    """Full-batch gradient descent from (W1, w2); the inputs are not modified.

    Returns (W1, w2, losses) with losses[k] = loss after epoch k+1.  Stops early when the
    loss improves by less than eps in one epoch.
    """
    W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)
    losses = []
    previous = np.inf
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        current = loss(y, forward(X, W1, w2)[1])
        losses.append(current)
        if previous - current < eps:
            break
        previous = current
    return W1, w2, losses


def predict(X, W1, w2):
    """Labels 0/1 of X: (N, 2) -> (N,) ints, y_hat >= 0.5 is class 1."""
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    """Unfitted sklearn 2-2-1 MLP (task 11); lbfgs suits a tiny full-batch problem."""
    return MLPClassifier(hidden_layer_sizes=(2,), activation="logistic", solver="lbfgs",
                         max_iter=5000, tol=1e-6)


def make_xor_mlp():
    """Unfitted sklearn MLP wide enough for XOR (task 13)."""
    return MLPClassifier(hidden_layer_sizes=(8,), activation="logistic", solver="lbfgs",
                         max_iter=5000, tol=1e-6)
