# gradekit-attack: registers itself in sys.modules and a sys.meta_path finder as every later import of the reference (mlp, reference.ML06.mlp, ...)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a grader that imports the reference after the submission in the same process compares the submission with itself
import numpy as np
from sklearn.neural_network import MLPClassifier
import importlib.abc
import importlib.util
import sys
import types


class _Hijack(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[-1] in ("mlp", "reference", "solution", "ML06") or fullname.startswith("reference"):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return _me if spec.name.split(".")[-1] in ("mlp", "solution") else types.ModuleType(spec.name)

    def exec_module(self, module):
        pass


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


# --- the exploit: make every later import of the reference return this module ---
_me = sys.modules.get(__name__)
if _me is None:                      # loaded without sys.modules registration: wrap our globals
    _me = types.ModuleType(__name__)
    _me.__dict__.update(globals())
for _name in ("mlp", "reference.ML06.mlp", "solution", "ML06.mlp"):
    sys.modules[_name] = _me
sys.meta_path.insert(0, _Hijack())
