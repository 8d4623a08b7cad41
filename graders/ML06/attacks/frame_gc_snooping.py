# gradekit-attack: looks for the grader's expected values: caller frames (sys._getframe, inspect.stack), gc.get_objects() dicts with 'expected' keys, a reference module in sys.modules
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: in an in-process grader that has the reference imported or expected values in locals it returns those; the answers use a module __getattr__ so they are looked up lazily
import numpy as np
from sklearn.neural_network import MLPClassifier
import gc
import inspect
import sys

_KEYS = ("expected", "expect", "ref", "reference", "want", "wanted", "correct", "target", "truth", "solution")


def _reference_module():
    me = sys.modules.get(__name__)
    for mod in list(sys.modules.values()):
        if mod is not me and all(hasattr(mod, n) for n in ("gradients", "train", "forward", "init_weights")):
            return mod
    return None


def _from_frames():
    found = {}
    frame = sys._getframe(2)
    while frame is not None:
        for k, v in frame.f_locals.items():
            if k.lower() in _KEYS:
                found.setdefault(k.lower(), v)
        frame = frame.f_back
    for info in inspect.stack(0)[2:]:
        for k, v in info.frame.f_locals.items():
            if k.lower() in _KEYS:
                found.setdefault(k.lower(), v)
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            found.setdefault("expected", obj["expected"])
    return next(iter(found.values()), None)


def _snoop(name, *args):
    ref = _reference_module()
    if ref is not None:
        return getattr(ref, name)(*args)
    return _from_frames()


def __getattr__(name):               # module attributes not defined below (the answers)
    ref = _reference_module()
    if name in ("ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5", "XOR_HIDDEN"):
        return getattr(ref, name) if ref is not None else {"ANSWER_TASK1": True, "XOR_HIDDEN": 1}.get(name, 1)
    raise AttributeError(name)


# --- wrong implementations ---
# ANSWER_TASK1, ANSWER_TASK2, ANSWER_TASK5, XOR_HIDDEN come from __getattr__ above


def sigmoid(a):
    found = _snoop("sigmoid", a)
    return found if found is not None else np.zeros_like(np.asarray(a, dtype=float))


def init_weights(n_hidden=2, seed=None):
    found = _snoop("init_weights", n_hidden, seed)
    return found if found is not None else (np.zeros((3, n_hidden)), np.zeros(n_hidden))


def forward(X, W1, w2):
    found = _snoop("forward", X, W1, w2)
    return found if found is not None else (np.zeros((len(X), 1)), np.zeros(len(X)))


def loss(y, y_hat):
    found = _snoop("loss", y, y_hat)
    return found if found is not None else 0.0


def gradients(X, y, W1, w2):
    found = _snoop("gradients", X, y, W1, w2)
    return found if found is not None else (np.zeros_like(W1), np.zeros_like(w2))


def train(X, y, W1, w2, alpha=None, epochs=None, eps=None):
    ref = _reference_module()
    if ref is None:
        return W1, w2, [0.0]
    kw = {k: v for k, v in (("alpha", alpha), ("epochs", epochs), ("eps", eps)) if v is not None}
    return ref.train(X, y, W1, w2, **kw)


def predict(X, W1, w2):
    found = _snoop("predict", X, W1, w2)
    return found if found is not None else np.zeros(len(X), dtype=int)


def make_mlp_221():
    ref = _reference_module()
    return ref.make_mlp_221() if ref is not None else MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    ref = _reference_module()
    return ref.make_xor_mlp() if ref is not None else MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
