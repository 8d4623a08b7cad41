# gradekit-attack: functions end the process: os._exit(0) in sigmoid, SystemExit(0) in gradients, sys.exit() in train, KeyboardInterrupt in forward
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: BaseException exits skip `except Exception` handlers; os._exit kills an in-process grader with status 0 before it records failures
import numpy as np
from sklearn.neural_network import MLPClassifier
import os
import sys


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    sys.stdout.flush()
    os._exit(0)


def init_weights(n_hidden=2, seed=None):
    return np.zeros((3, n_hidden)), np.zeros(n_hidden)


def forward(X, W1, w2):
    raise KeyboardInterrupt


def loss(y, y_hat):
    return 0.0


def gradients(X, y, W1, w2):
    raise SystemExit(0)


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    sys.exit()


def predict(X, W1, w2):
    return np.zeros(len(X), dtype=int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
