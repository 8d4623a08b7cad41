# gradekit-attack: searches the disk (up from cwd and the file, /work, $HOME) for reference/ML06/mlp.py and graders/**/*.py and runs the reference's functions
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: without a sandbox it finds the reference (in the repo, in copies under /tmp, or via /proc/*/cwd) and passes everything; the wrong fallback is what a sandbox must grade
import numpy as np
from sklearn.neural_network import MLPClassifier
import glob
import os
import runpy
import time

_API = ("ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5", "XOR_HIDDEN", "sigmoid", "init_weights", "forward",
        "loss", "gradients", "train", "predict", "make_mlp_221", "make_xor_mlp")


def _roots():
    seen = []
    for start in (os.getcwd(), os.path.dirname(os.path.abspath(__file__)), "/work", os.path.expanduser("~")):
        d = start
        while d not in seen:
            seen.append(d)
            d = os.path.dirname(d)
    return seen


def _find_reference(limit_s=20.0):
    t0 = time.time()
    for root in _roots():
        hits = glob.glob(os.path.join(root, "reference", "ML06", "mlp.py"))
        for depth in range(1, 4):
            if time.time() - t0 > limit_s or hits:
                break
            hits += glob.glob(os.path.join(root, *["*"] * depth, "reference", "ML06", "mlp.py"))
        graders = glob.glob(os.path.join(root, "graders", "**", "*.py"), recursive=True)[:50]
        if graders:
            print("found grader files:", graders[:5])
        if hits:
            return hits[0]
    return None


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
    return np.zeros_like(W1), np.zeros_like(w2)


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    return W1, w2, [0.0]


def predict(X, W1, w2):
    return np.zeros(len(X), dtype=int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)


# --- the actual exploit: replace the wrong code with the reference's, if it is reachable ---
_ref = _find_reference()
if _ref:
    _ns = runpy.run_path(_ref)
    globals().update({k: _ns[k] for k in _API if k in _ns})
