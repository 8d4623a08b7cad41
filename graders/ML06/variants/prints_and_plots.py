# gradekit-variant: notebook-style script: prints, a demo training run and a matplotlib figure with plt.show() at import
# must-pass: all
import numpy as np
import matplotlib.pyplot as plt
from sklearn.neural_network import MLPClassifier

print("ML06 - simple MLP")

ANSWER_TASK1 = False
ANSWER_TASK2 = 2
ANSWER_TASK5 = 9
XOR_HIDDEN = 4
print("answers:", ANSWER_TASK1, ANSWER_TASK2, ANSWER_TASK5)


def sigmoid(a):
    a = np.asarray(a, dtype=float)
    return 1 / (1 + np.exp(-np.clip(a, -500, 500)))


def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, (n_hidden, 3)), rng.uniform(-0.5, 0.5, n_hidden + 1)


def forward(X, W1, w2):
    X = np.asarray(X, dtype=float)
    Z = sigmoid(np.c_[np.ones(len(X)), X] @ W1.T)
    y_hat = sigmoid(np.c_[np.ones(len(Z)), Z] @ w2)
    return Z, y_hat


def loss(y, y_hat):
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-15, 1 - 1e-15)
    y = np.asarray(y, dtype=float)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)
    Z, y_hat = forward(X, W1, w2)
    d3 = (y_hat - y) / len(y)
    dw2 = np.c_[np.ones(len(Z)), Z].T @ d3
    dW1 = (Z * (1 - Z) * np.outer(d3, w2[1:])).T @ np.c_[np.ones(len(X)), X]
    return dW1, dw2


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)
    losses = []
    for ep in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 -= alpha * dW1
        w2 -= alpha * dw2
        losses.append(loss(y, forward(X, W1, w2)[1]))
        if ep > 0 and losses[-2] - losses[-1] < eps:
            break
        if ep % 5000 == 0:
            print(f"epoch {ep}: loss {losses[-1]:.4f}")
    return W1, w2, losses


def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='logistic', solver='lbfgs', max_iter=5000)


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation='logistic', solver='lbfgs', max_iter=5000)


# --- demo on a small XOR-like set, as in the notebook ---
rng = np.random.default_rng(0)
corners = rng.integers(0, 2, (40, 2))
X_demo = corners + rng.normal(0, 0.1, (40, 2))
y_demo = (corners[:, 0] ^ corners[:, 1]).astype(float)
W1, w2, losses = train(X_demo, y_demo, *init_weights(XOR_HIDDEN, seed=0), epochs=2000)
print("demo accuracy:", np.mean(predict(X_demo, W1, w2) == y_demo))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4))
ax1.plot(losses)
ax1.set_xlabel("epoch")
ax1.set_ylabel("loss")
ax2.scatter(X_demo[:, 0], X_demo[:, 1], c=predict(X_demo, W1, w2), cmap="coolwarm")
plt.show()
