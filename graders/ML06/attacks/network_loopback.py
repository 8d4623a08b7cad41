# gradekit-attack: tries the network: DNS lookup of example.invalid, TCP connects to 127.0.0.1 ports asking for the reference over HTTP, a UDP beacon to 127.0.0.1
# must-fail: answers, sigmoid, init_weights, forward, loss, gradients, train, predict, sklearn_221, xor
# note: a grader with network access could leak or fetch answers; only loopback and an unresolvable name are contacted, every attempt times out within 0.5 s
import numpy as np
from sklearn.neural_network import MLPClassifier
import socket

_LOG = []


def _phone_home():
    try:
        socket.getaddrinfo("example.invalid", 80)
        _LOG.append("dns ok")
    except OSError as e:
        _LOG.append(f"dns failed: {e}")
    for port in (80, 5000, 8000, 8080, 8888, 9000):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.settimeout(0.5)
                s.sendall(b"GET /reference/ML06/mlp.py HTTP/1.0\r\nHost: localhost\r\n\r\n")
                data = s.recv(1 << 20).decode("utf-8", "replace")
                if "def gradients" in data:
                    return data.split("\r\n\r\n", 1)[-1]
        except OSError as e:
            _LOG.append(f"tcp {port}: {e}")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.sendto(b"ML06 submission alive", ("127.0.0.1", 9999))
    except OSError as e:
        _LOG.append(f"udp: {e}")
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


_code = _phone_home()
if _code:
    exec(_code, globals())
