# gradekit-variant: sigmoid via scipy.special.expit, loss via scipy.special.xlogy, einsum-based backprop
# must-pass: all
import numpy as np
from scipy.special import expit, xlogy
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    return expit(np.asarray(a, dtype=float))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)), rng.uniform(-0.5, 0.5, n_hidden + 1)


def _aug(A):
    return np.concatenate([np.ones((len(A), 1)), A], axis=1)


def forward(X, W1, w2):
    Z = expit(np.einsum('ni,ji->nj', _aug(np.asarray(X, dtype=float)), W1))
    return Z, expit(_aug(Z) @ w2)


def loss(y, y_hat):
    p = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    y = np.asarray(y, dtype=float)
    return -float(np.mean(xlogy(y, p) + xlogy(1 - y, 1 - p)))


def gradients(X, y, W1, w2):
    X1 = _aug(np.asarray(X, dtype=float))
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - np.asarray(y, dtype=float)) / len(X1)
    dw2 = np.einsum('n,nj->j', d3, _aug(Z))
    dW1 = np.einsum('n,nj,j,ni->ji', d3, Z * (1 - Z), w2[1:], X1)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7, verbose=False):
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    losses = []
    for epoch in range(epochs):
        g1, g2 = gradients(X, y, W1, w2)
        W1, w2 = W1 - alpha * g1, w2 - alpha * g2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if verbose and epoch % 1000 == 0:
            print(epoch, losses[-1])
        if epoch and losses[-2] - losses[-1] < eps:
            break
    return W1, w2, np.array(losses)


def predict(X, W1, w2):
    return np.rint(forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000, tol=1e-6)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(16,), activation='logistic', solver='lbfgs', max_iter=5000, tol=1e-6)
