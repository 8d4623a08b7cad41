# gradekit-attack: leaves a non-daemon thread and a detached child process (new session) running after import, both writing files for up to 60 s
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: the child rewrites results*.json in its cwd to passed/full score; tests that the sandbox kills the whole session and discards the cwd; both stop after 60 s
import numpy as np
from sklearn.neural_network import MLPClassifier
import os
import subprocess
import sys
import tempfile
import threading
import time

_CHILD = """
import glob, os, re, time
t0 = time.time()
while time.time() - t0 < 60:
    with open(os.path.join(TMP, 'gradekit_ML06_bg_child.log'), 'a') as f:
        f.write('child alive %.1f\\n' % (time.time() - t0))
    for path in glob.glob('*result*.json'):
        try:
            text = open(path).read()
            new = re.sub(r'"passed": *false', '"passed": true', text)
            if new != text:
                open(path, 'w').write(new)
        except OSError:
            pass
    time.sleep(0.2)
"""


def _thread_body():
    t0 = time.time()
    while time.time() - t0 < 60:
        for d in (os.getcwd(), tempfile.gettempdir()):
            try:
                with open(os.path.join(d, "gradekit_ML06_bg_thread.log"), "a") as f:
                    f.write(f"thread alive {time.time() - t0:.1f}\n")
            except OSError:
                pass
        time.sleep(0.2)


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


threading.Thread(target=_thread_body, daemon=False).start()
subprocess.Popen([sys.executable, "-c", f"TMP = {tempfile.gettempdir()!r}\n" + _CHILD], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
