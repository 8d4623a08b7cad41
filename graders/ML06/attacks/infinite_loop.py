# gradekit-attack: gradients, train and predict never return (while True: pass)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a grader without per-call time limits hangs forever; unbounded on purpose, SIGTERM/SIGKILL end it
import numpy as np
from sklearn.neural_network import MLPClassifier


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    return np.zeros_like(np.asarray(a, dtype=float))


def init_weights(n_hidden=2, seed=None):
    return np.zeros((3, n_hidden)), np.zeros(n_hidden)


def forward(X, W1, w2):
    return np.zeros((len(X), 1)), np.zeros(len(X))


def loss(y, y_hat):
    return 0.0


def gradients(X, y, W1, w2):
    while True:
        pass


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    while True:
        pass


def predict(X, W1, w2):
    while True:
        pass


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
