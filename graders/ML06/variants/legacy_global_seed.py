# gradekit-variant: legacy np.random.seed(seed) + np.random.uniform init, per-hidden-unit loops, np.dot style
# must-pass: all
import numpy as np
from sklearn.neural_network import MLPClassifier

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4


def sigmoid(a):
    a = np.asarray(a, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-np.clip(a, -709, 709)))


def init_weights(n_hidden=2, seed=None):
    np.random.seed(seed)
    W1 = np.random.uniform(-0.5, 0.5, (n_hidden, 3))
    w2 = np.random.uniform(-0.5, 0.5, n_hidden + 1)
    return W1, w2


def forward(X, W1, w2):
    X = np.asarray(X, dtype=np.float64)
    N, H = X.shape[0], len(W1)
    Z = np.empty((N, H))
    for j in range(H):
        Z[:, j] = sigmoid(np.dot(X, W1[j, 1:]) + W1[j, 0])
    y_hat = sigmoid(np.dot(Z, w2[1:]) + w2[0])
    return Z, y_hat


def loss(y, y_hat):
    y_hat = np.clip(y_hat, 1e-15, 1 - 1e-15)
    return -np.sum(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)) / len(y)


def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=np.float64)
    N, H = X.shape[0], len(W1)
    Z, y_hat = forward(X, W1, w2)
    delta3 = (y_hat - y) / N
    dW1, dw2 = np.zeros((H, 3)), np.zeros(H + 1)
    dw2[0] = np.sum(delta3)
    dw2[1:] = np.dot(Z.T, delta3)
    for j in range(H):
        delta_j = Z[:, j] * (1 - Z[:, j]) * w2[j + 1] * delta3
        dW1[j, 0] = np.sum(delta_j)
        dW1[j, 1:] = np.dot(delta_j, X)
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = W1.astype(np.float64), w2.astype(np.float64)
    losses = []
    prev_loss = None
    for epoch in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        cur_loss = loss(y, forward(X, W1, w2)[1])
        losses.append(cur_loss)
        if prev_loss is not None and prev_loss - cur_loss < eps:
            break
        prev_loss = cur_loss
    return W1, w2, losses


def predict(X, W1, w2):
    return np.array(forward(X, W1, w2)[1] >= 0.5, dtype=int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)
