"""The audit's equivalence battery for ML06: every API function on fixed inputs.

Runs ONLY in the audit's separate probe process (`python -I`), never beside the graders: it
calls the reference and generated mutants.  A survivor that returns what the reference
returns on every call here is excepted as "equivalent (probably)".
"""
import numpy as np


def data(seed, n=60):
    """A small band-shaped problem like data_1 (two classes, not linearly separable)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1.5, size=(n, 2))
    return X, (np.abs(X[:, 0] + X[:, 1]) < 1.2).astype(float)


def weights(seed, n_hidden, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, scale, size=(n_hidden, 3)), rng.normal(0, scale, size=n_hidden + 1)


def battery():
    """(label, call) pairs; every call builds fresh inputs, so in-place edits cannot leak."""
    calls = [(f"constant {name}", lambda m, name=name: getattr(m, name))
             for name in ("ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5", "XOR_HIDDEN")]
    calls += [
        ("sigmoid(grid)", lambda m: m.sigmoid(np.linspace(-8, 8, 33).reshape(3, 11))),
        ("sigmoid(extremes)", lambda m: m.sigmoid(np.array([-1000., -30, -1, 0, 1, 30, 1000]))),
        ("sigmoid(list)", lambda m: m.sigmoid([0.3, -2.0])),
        ("init_weights() shapes", lambda m: [np.shape(w) for w in m.init_weights()]),
        ("init_weights(seed=4)", lambda m: m.init_weights(seed=4)),
    ]
    for n_hidden, seed in ((2, 0), (3, 7), (5, 1)):
        calls.append((f"init_weights({n_hidden}, seed={seed})",
                      lambda m, h=n_hidden, s=seed: m.init_weights(h, seed=s)))
    for n_hidden in (1, 2, 5):
        calls.append((f"forward H={n_hidden}", lambda m, h=n_hidden: m.forward(
            np.random.default_rng(h).normal(0, 1.5, (17, 2)), *weights(h, h))))
    rng_loss = lambda: np.random.default_rng(11)   # noqa: E731
    calls += [
        ("loss", lambda m: m.loss(rng_loss().integers(0, 2, 25).astype(float),
                                  rng_loss().uniform(1e-6, 1 - 1e-6, 25))),
        ("loss one class", lambda m: m.loss(np.ones(10), rng_loss().uniform(0.2, 0.99, 10))),
    ]
    for n_hidden in (2, 4):
        calls.append((f"gradients H={n_hidden}",
                      lambda m, h=n_hidden: m.gradients(*data(h, 30), *weights(10 + h, h))))
    calls += [
        ("train alpha=0.5 epochs=60 eps=0",
         lambda m: m.train(*data(1), *weights(3, 2, 0.3), alpha=0.5, epochs=60, eps=0.0)),
        ("train alpha=2 epochs=500 eps=1e-4 (early stop)",
         lambda m: m.train(*data(2), *weights(4, 3, 0.3), alpha=2.0, epochs=500, eps=1e-4)),
        ("train with its defaults", lambda m: m.train(*data(3), *weights(5, 2, 0.3))),
    ]
    for n_hidden in (2, 3):
        calls.append((f"predict H={n_hidden}", lambda m, h=n_hidden: m.predict(
            np.random.default_rng(20 + h).normal(0, 2, (60, 2)), *weights(30 + h, h, 2.0))))
    for name in ("make_mlp_221", "make_xor_mlp"):   # same unfitted parameters, same model
        calls.append((f"{name}()", lambda m, name=name: sorted(
            (k, repr(v)) for k, v in getattr(m, name)().get_params().items())))
    return calls
