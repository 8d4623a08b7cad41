# gradekit-attack: writes a pytest conftest.py (forces every test report to 'passed') and a stash of code into cwd and /tmp; reuses a stash left by an earlier run
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a grader that runs later submissions or pytest in a shared cwd or /tmp picks the files up; writes only a few small files
import numpy as np
from sklearn.neural_network import MLPClassifier
import os
import tempfile

CONFTEST = """import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
"""
STASH = "gradekit_ML06_stash.py"


def _plant():
    for d in (os.getcwd(), tempfile.gettempdir()):
        for name, text in (("conftest.py", CONFTEST), (STASH, "import numpy as np\nnp.allclose = lambda *a, **k: True\n")):
            try:
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            except OSError:
                pass


def _stash_from_earlier_run():
    path = os.path.join(tempfile.gettempdir(), "gradekit_ML06_answers.py")
    if os.path.exists(path):
        ns = {}
        exec(open(path).read(), ns)
        return ns
    return {}


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


_plant()
globals().update({k: v for k, v in _stash_from_earlier_run().items() if not k.startswith("__")})
