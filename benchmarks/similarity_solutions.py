"""Independent ML06 solutions in different styles, for benchmarks/similarity_bench.py only.

Each function of the exercise has several implementations written independently (loops,
vectorised, einsum, column vectors, a class, Python lists); a benchmark student takes one
of each, drops some optional lines (marked `#?`, each self-contained) and names things in
a convention of their own.  None of this is the tests' tuning data (graders/ML06/variants).
"""

SIGMOID = [
    '''def sigmoid(a):
    return np.exp(-np.logaddexp(0, -a))
''',
    '''def sigmoid(a):
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    pos = a >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-a[pos]))
    e = np.exp(a[~pos])
    out[~pos] = e / (1.0 + e)
    return out if out.ndim else float(out)
''',
    '''def sigmoid(a):
    a = np.clip(a, -500, 500)
    return 1 / (1 + np.exp(-a))
''',
    '''def sigmoid(a):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(a, dtype=float)))
''',
]

INIT_WEIGHTS = [
    '''def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-0.5, 0.5, size=(n_hidden, 3))
    w2 = rng.uniform(-0.5, 0.5, size=n_hidden + 1)
    return W1, w2
''',
    '''def init_weights(n_hidden=2, seed=None):
    generator = np.random.default_rng(seed)
    weights = generator.random(n_hidden * 3 + n_hidden + 1) - 0.5
    return weights[:n_hidden * 3].reshape(n_hidden, 3), weights[n_hidden * 3:]
''',
    '''def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    scale = 0.5
    hidden = scale * (2 * rng.random((n_hidden, 3)) - 1)
    output = scale * (2 * rng.random(n_hidden + 1) - 1)
    assert hidden.shape == (n_hidden, 3)  #?
    return hidden, output
''',
    '''def init_weights(n_hidden=2, seed=None):
    rng = np.random.default_rng(seed)
    W1 = np.zeros((n_hidden, 3))
    for j in range(n_hidden):
        for i in range(3):
            W1[j, i] = rng.uniform(-0.5, 0.5)
    w2 = np.array([rng.uniform(-0.5, 0.5) for _ in range(n_hidden + 1)])
    return W1, w2
''',
]

FORWARD = [
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    W1 = np.asarray(W1, dtype=float)  #?
    Z = sigmoid(_with_bias(X) @ W1.T)
    y_hat = sigmoid(_with_bias(Z) @ w2)
    return Z, y_hat
''',
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    W1 = np.asarray(W1, dtype=float)  #?
    X = np.asarray(X, dtype=float)  #?
    A = W1[:, 0] + X @ W1[:, 1:].T
    Z = sigmoid(A)
    out = sigmoid(w2[0] + Z @ w2[1:])
    return Z, out
''',
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    W1 = np.asarray(W1, dtype=float)  #?
    ones = np.ones((X.shape[0], 1))
    inputs = np.concatenate([ones, X], axis=1)
    hidden = sigmoid(np.einsum("ni,ji->nj", inputs, W1))
    hidden_b = np.concatenate([ones, hidden], axis=1)
    return hidden, sigmoid(np.einsum("nj,j->n", hidden_b, w2))
''',
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    W1 = np.asarray(W1, dtype=float)  #?
    N, H = X.shape[0], W1.shape[0]
    Z = np.zeros((N, H))
    for j in range(H):
        Z[:, j] = sigmoid(W1[j, 0] + W1[j, 1] * X[:, 0] + W1[j, 2] * X[:, 1])
    y_hat = np.full(N, w2[0])
    for j in range(H):
        y_hat = y_hat + w2[j + 1] * Z[:, j]
    return Z, sigmoid(y_hat)
''',
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    W1 = np.asarray(W1, dtype=float)  #?
    Xb = np.column_stack([np.ones(len(X)), X])
    Zt = sigmoid(W1.dot(Xb.T))            # (H, N): one column per sample
    Zb = np.vstack([np.ones((1, Zt.shape[1])), Zt])
    y = sigmoid(w2.reshape(1, -1).dot(Zb)).ravel()
    return Zt.T, y
''',
]

LOSS = [
    '''def loss(y, y_hat):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))
''',
    '''def loss(y, y_hat):
    eps = 1e-15
    y_hat = np.minimum(np.maximum(y_hat, eps), 1 - eps)
    total = 0.0
    for t, p in zip(y, y_hat):
        total += -(t * np.log(p) + (1 - t) * np.log(1 - p))
    return float(total / len(y))
''',
    '''def loss(y, y_hat):
    y_hat = np.clip(y_hat, 1e-10, 1 - 1e-10)
    terms = np.where(y == 1, np.log(y_hat), np.log(1 - y_hat))
    return -float(terms.sum()) / len(y)
''',
    '''def loss(y, y_hat):
    y = np.asarray(y, dtype=float)  #?
    q = np.clip(np.asarray(y_hat, dtype=float), 1e-9, 1 - 1e-9)
    ce = -(y @ np.log(q) + (1 - y) @ np.log(1 - q))
    return float(ce / y.size)
''',
]

GRADIENTS = [
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert X.shape[1] == W1.shape[1] - 1  #?
    assert len(X) == len(y)  #?
    N = len(X)
    Z, y_hat = forward(X, W1, w2)
    delta3 = y_hat - y
    dw2 = _with_bias(Z).T @ delta3 / N
    delta_hidden = Z * (1 - Z) * np.outer(delta3, w2[1:])
    dW1 = delta_hidden.T @ _with_bias(X) / N
    assert np.all(np.isfinite(W1))  #?
    return dW1, dw2
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert X.shape[1] == W1.shape[1] - 1  #?
    assert len(X) == len(y)  #?
    H = W1.shape[0]
    dW1 = np.zeros_like(W1)
    dw2 = np.zeros_like(w2)
    for n in range(len(X)):
        x = np.concatenate(([1.0], X[n]))
        z = sigmoid(W1 @ x)
        zb = np.concatenate(([1.0], z))
        out = sigmoid(w2 @ zb)
        d3 = out - y[n]
        dw2 += d3 * zb
        for j in range(H):
            dj = z[j] * (1 - z[j]) * w2[j + 1] * d3
            dW1[j] += dj * x
    return dW1 / len(X), dw2 / len(X)
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert X.shape[1] == W1.shape[1] - 1  #?
    assert len(X) == len(y)  #?
    Xb = np.hstack([np.ones((X.shape[0], 1)), X])
    Z = sigmoid(np.einsum("ni,ji->nj", Xb, W1))
    Zb = np.hstack([np.ones((Z.shape[0], 1)), Z])
    err = sigmoid(np.einsum("nj,j->n", Zb, w2)) - y
    grad_out = np.einsum("n,nj->j", err, Zb) / len(y)
    back = np.einsum("n,j->nj", err, w2[1:]) * Z * (1 - Z)
    grad_hidden = np.einsum("nj,ni->ji", back, Xb) / len(y)
    return grad_hidden, grad_out
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert X.shape[1] == W1.shape[1] - 1  #?
    assert len(X) == len(y)  #?
    n = X.shape[0]
    Xb = np.column_stack([np.ones(n), X]).T          # (3, N) columns are samples
    Zt = sigmoid(W1.dot(Xb))                         # (H, N)
    Zb = np.vstack([np.ones((1, n)), Zt])
    yh = sigmoid(w2.reshape(1, -1).dot(Zb))          # (1, N)
    d3 = yh - y.reshape(1, -1)
    g2 = (d3.dot(Zb.T) / n).ravel()
    dh = (w2[1:].reshape(-1, 1).dot(d3)) * Zt * (1 - Zt)
    g1 = dh.dot(Xb.T) / n
    return g1, g2
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert X.shape[1] == W1.shape[1] - 1  #?
    assert len(X) == len(y)  #?
    Z, y_hat = forward(X, W1, w2)
    N = X.shape[0]
    e = (y_hat - y) / N
    dw2 = np.array([e.sum()] + [np.sum(e * Z[:, j]) for j in range(Z.shape[1])])
    dW1 = np.zeros(W1.shape)
    for j in range(W1.shape[0]):
        dj = e * w2[j + 1] * Z[:, j] * (1 - Z[:, j])
        dW1[j] = [dj.sum(), dj @ X[:, 0], dj @ X[:, 1]]
    return dW1, dw2
''',
]

TRAIN = [
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    W1, w2 = W1.copy(), w2.copy()
    losses = []
    previous = np.inf
    for _ in range(epochs):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - alpha * dW1
        w2 = w2 - alpha * dw2
        current = loss(y, forward(X, W1, w2)[1])
        losses.append(current)
        if previous - current < eps:
            break
        previous = current
    return W1, w2, losses
''',
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    A, b = np.array(W1, dtype=float), np.array(w2, dtype=float)
    history = []
    epoch = 0
    while epoch < epochs:
        gA, gb = gradients(X, y, A, b)
        A -= alpha * gA
        b -= alpha * gb
        history.append(loss(y, forward(X, A, b)[1]))
        if len(history) > 1 and history[-2] - history[-1] < eps:
            break
        epoch += 1
    return A, b, history
''',
    '''class Trainer:
    def __init__(self, alpha, eps):
        self.alpha = alpha
        self.eps = eps
        self.losses = []

    def step(self, X, y, W1, w2):
        dW1, dw2 = gradients(X, y, W1, w2)
        W1 = W1 - self.alpha * dW1
        w2 = w2 - self.alpha * dw2
        self.losses.append(loss(y, forward(X, W1, w2)[1]))
        return W1, w2

    def converged(self):
        return len(self.losses) > 1 and self.losses[-2] - self.losses[-1] < self.eps


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    trainer = Trainer(alpha, eps)
    for _ in range(epochs):
        W1, w2 = trainer.step(X, y, W1, w2)
        if trainer.converged():
            break
    return W1, w2, trainer.losses
''',
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    params = [W1.copy(), w2.copy()]
    losses = [loss(y, forward(X, *params)[1])]
    for k in range(epochs):
        grads = gradients(X, y, *params)
        params = [p - alpha * g for p, g in zip(params, grads)]
        losses.append(loss(y, forward(X, *params)[1]))
        if abs(losses[-2] - losses[-1]) < eps:
            break
    return params[0], params[1], losses[1:]
''',
]

PREDICT = [
    '''def predict(X, W1, w2):
    return (forward(X, W1, w2)[1] >= 0.5).astype(int)
''',
    '''def predict(X, W1, w2):
    _, probabilities = forward(X, W1, w2)
    return np.where(probabilities >= 0.5, 1, 0)
''',
    '''def predict(X, W1, w2):
    y_hat = forward(X, W1, w2)[1]
    labels = [1 if p >= 0.5 else 0 for p in y_hat]
    return np.array(labels, dtype=int)
''',
]

MAKE_MLP = [
    '''def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation="logistic", solver="lbfgs",
                         max_iter=5000, random_state=0)
''',
    '''def make_mlp_221():
    clf = MLPClassifier(hidden_layer_sizes=2, activation="logistic")
    clf.set_params(solver="adam", max_iter=3000, tol=1e-6)
    return clf
''',
    '''def make_mlp_221():
    settings = dict(hidden_layer_sizes=(2,), activation="logistic", solver="sgd",
                    learning_rate_init=0.5, max_iter=4000)
    return MLPClassifier(**settings)
''',
]

MAKE_XOR = [
    '''def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", solver="lbfgs",
                         max_iter=5000, random_state=1)
''',
    '''def make_xor_mlp():
    return MLPClassifier((20,), activation="relu", max_iter=10000, tol=1e-6)
''',
    '''def make_xor_mlp():
    hidden = 6
    return MLPClassifier(hidden_layer_sizes=(hidden, hidden), activation="logistic",
                         solver="lbfgs", max_iter=3000)
''',
]

FUNCTIONS = {"sigmoid": SIGMOID, "init_weights": INIT_WEIGHTS, "forward": FORWARD,
             "loss": LOSS, "gradients": GRADIENTS, "train": TRAIN, "predict": PREDICT,
             "make_mlp_221": MAKE_MLP, "make_xor_mlp": MAKE_XOR}

# Free cells (tasks 6, 8-14) and answers: each student picks one of each.
DEMOS = {
    "task06_forward_demo": [
        "Z, y_hat = forward(X, *init_weights(2, seed=0))\nprint(Z[:3], y_hat[:3])",
        ("weights = init_weights(seed=1)\nhidden, output = forward(X, *weights)\n"
        "print(hidden.shape, output.shape)"),
        ("W1_0, w2_0 = init_weights()\nfor row, p in zip(X[:5], forward(X[:5], W1_0, w2_0)[1]):\n"
        "    print(row, round(float(p), 3))"),
    ],
    "task08_losses": [
        ("W1_0, w2_0 = init_weights(2, seed=0)\nW1_t, w2_t, losses = train(X, y, W1_0, w2_0)\n"
        "plot_losses(losses)\nprint('accuracy', np.mean(predict(X, W1_t, w2_t) == y))"),
        ("start = init_weights(seed=3)\nW1_t, w2_t, hist = train(X, y, *start, alpha=1.0)\n"
        "plot_losses(hist)\nacc = (predict(X, W1_t, w2_t) == y).mean()\nprint(f'{acc:.1%}')"),
        ("results = {}\nfor a in (0.5, 2.0, 5.0):\n    results[a] = train(X, y, *init_weights(seed=0), "
        "alpha=a)\nW1_t, w2_t, losses = results[2.0]\nplot_losses(losses)"),
    ],
    "task09_boundary": [
        ("plot_xy_2D_model(X, y, lambda P: predict(P, W1_t, w2_t))\n"
        "W1_long, w2_long, _ = train(X, y, W1_t, w2_t, epochs=200000, eps=1e-12)\n"
        "print(W1_long, w2_long)\nplot_xy_2D_model(X, y, lambda P: forward(P, W1_long, w2_long)[1])"),
        ("model = lambda points: forward(points, W1_t, w2_t)[1]\nplot_xy_2D_model(X, y, model)\n"
        "longer = train(X, y, W1_t, w2_t, epochs=100000, eps=0)\nprint(np.abs(longer[0]).max())"),
    ],
    "task10_hidden": [
        ("for e in (10, 100, 1000, 10000):\n    W1_e, w2_e, _ = train(X, y, *init_weights(seed=0), "
        "epochs=e, eps=0)\n    plot_hidden_representation(X, y, forward(X, W1_e, w2_e)[0])"),
        ("snapshots = [train(X, y, W1_0, w2_0, epochs=n, eps=0) for n in (50, 500, 5000)]\n"
        "for W1_s, w2_s, _ in snapshots:\n    plot_hidden_representation(X, y, forward(X, W1_s, w2_s)[0])"),
    ],
    "task11_sklearn": [
        ("clf = make_mlp_221().fit(X, y)\nprint(clf.score(X, y))\n"
        "plot_xy_2D_model(X, y, clf.predict)"),
        ("for solver in ('lbfgs', 'sgd', 'adam'):\n    m = make_mlp_221().set_params(solver=solver)\n"
        "    with warnings.catch_warnings():\n        warnings.simplefilter('ignore', ConvergenceWarning)\n"
        "        m.fit(X, y)\n    print(solver, m.score(X, y), m.n_iter_)"),
    ],
    "task12_xor": [
        ("W1_x, w2_x, losses_x = train(X_xor, y_xor, *init_weights(seed=0))\n"
        "print(np.mean(predict(X_xor, W1_x, w2_x) == y_xor))\n"
        "plot_xy_2D_model(X_xor, y_xor, lambda P: predict(P, W1_x, w2_x))"),
        ("xor_clf = make_mlp_221().fit(X_xor, y_xor)\nprint('sklearn', xor_clf.score(X_xor, y_xor))\n"
        "own = train(X_xor, y_xor, *init_weights(2, seed=4))\nplot_losses(own[2])"),
    ],
    "xor_hidden": ["XOR_HIDDEN = 8", "XOR_HIDDEN = 10", "XOR_HIDDEN = 6", "XOR_HIDDEN = 12"],
    "task13_more_hidden": [
        ("W1_w, w2_w, _ = train(X_xor, y_xor, *init_weights(XOR_HIDDEN, seed=0))\n"
        "print((predict(X_xor, W1_w, w2_w) == y_xor).mean())"),
        "big = make_xor_mlp().fit(X_xor, y_xor)\nplot_xy_2D_model(X_xor, y_xor, big.predict)",
    ],
    "task14_zoom_out": [
        ("for seed in range(3):\n    W1_z, w2_z, _ = train(X_xor, y_xor, *init_weights(XOR_HIDDEN, seed=seed))\n"
        "    plot_xy_2D_model(X_xor, y_xor, lambda P: predict(P, W1_z, w2_z), offset=3)"),
        "zoom = make_xor_mlp().fit(X_xor, y_xor)\nplot_xy_2D_model(X_xor, y_xor, zoom.predict, offset=5)",
    ],
    "answer_task1": ["ANSWER_TASK1 = False", "ANSWER_TASK1 = bool(0)"],
    "answer_task2": ["ANSWER_TASK2 = 2", "ANSWER_TASK2 = int(2)"],
    "answer_task5": ["ANSWER_TASK5 = 9", "ANSWER_TASK5 = 2 * 3 + 3"],
}

# Sentences students write in the free-text answers; each picks a few.
ANSWER_PHRASES = {
    "task3_architecture": [
        "Two hidden sigmoid units are enough because the classes need two lines.",
        "One hidden layer with two logistic neurons and a sigmoid output.",
        "A 2-2-1 network: each hidden unit draws one boundary, the output combines them.",
        "We need a hidden layer since a single perceptron cannot separate the data.",
        "Sigmoid activations everywhere so the output is a probability.",
        "Hidden layer of size two, output layer of size one, logistic activation.",
    ],
    "task4_tuning": [
        "The weights and biases are learned by gradient descent.",
        "Training tunes the weights; we choose the architecture, learning rate and epochs.",
        "Hyperparameters such as alpha, the number of hidden units and eps are chosen by us.",
        "Learned: W1 and w2. Chosen: everything else, e.g. the activation function.",
        "The optimiser adjusts the parameters, the designer picks the structure.",
    ],
}
