# gradekit-variant: textbook sigmoid 1/(1+np.exp(-a)) without any overflow protection (RuntimeWarnings allowed)
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, size=(n_hidden, 3)), rng.uniform(-0.5, 0.5, size=(n_hidden + 1,))


def forward(X, W1, w2):
    X = np.asarray(X)
    ones = np.ones((X.shape[0], 1))
    Z = sigmoid(np.hstack((ones, X)) @ W1.T)
    y_hat = sigmoid(np.hstack((ones, Z)) @ w2)
    return Z, y_hat


def loss(y, y_hat):
    y_hat = np.clip(y_hat, 1e-15, 1 - 1e-15)
    return np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat))


def gradients(X, y, W1, w2):
    X = np.asarray(X)
    N = X.shape[0]
    ones = np.ones((N, 1))
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / N
    dw2 = np.hstack((ones, Z)).T @ delta3
    delta_hidden = Z * (1 - Z) * (delta3[:, np.newaxis] * w2[np.newaxis, 1:])
    dW1 = delta_hidden.T @ np.hstack((ones, X))
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = W1.copy(), w2.copy()
    losses = []
    old = float('inf')
    for i in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        new = loss(y, forward(X, W1, w2)[1])
        losses.append(new)
        if old - new < eps:
            print(f"early stop after {i + 1} epochs, loss {new:.5f}")
            break
        old = new
    return W1, w2, losses


def predict(X, W1, w2):
    Z, y_hat = forward(X, W1, w2)
    return (y_hat >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
