"""Equivalence probe, run ONLY as `python -I probe_script.py REQUEST.json`, in its own process."""
# It imports the reference and each mutant (code that must not run beside the graders), calls
# every API function on a fixed battery of inputs, and prints one JSON object: per mutant id,
# null when every output matches the reference's, else the first difference found.
# Standalone on purpose: numpy and scikit-learn only, no gradekit import.
import importlib.util
import json
import signal
import sys

import numpy as np

RTOL, ATOL = 1e-9, 1e-12   # "identical" up to float rounding of reordered arithmetic
PER_MUTANT_S = 60


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def same(a, b):
    """Equal values: arrays up to rounding (shape and NaNs included), containers recursively."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, np.generic, float, int)) and \
            isinstance(b, (np.ndarray, np.generic, float, int)):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            return False
        if a.dtype.kind in "fc":
            return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
        return bool(np.array_equal(a, b))
    return type(a) is type(b) and a == b


def outputs(module):
    """The battery's results on one module; an exception is a result too (its type)."""
    results = []
    for label, call in battery():
        try:
            results.append((label, call(module)))
        except Exception as exc:   # noqa: BLE001 - a mutant may raise anything
            results.append((label, ("raised", type(exc).__name__)))
    return results


class Overtime(BaseException):
    """Raised by the alarm; a BaseException, so the battery's `except Exception` lets it by."""


def on_alarm(*_):
    raise Overtime()


def main(request_path):
    with open(request_path, encoding="utf-8") as file:
        request = json.load(file)
    np.seterr(all="ignore")   # mutants overflow; warnings are not differences
    import warnings
    warnings.simplefilter("ignore")
    expected = outputs(load(request["reference"], "probe_reference"))
    verdicts = {}
    signal.signal(signal.SIGALRM, on_alarm)
    for number, (mutant_id, path) in enumerate(request["mutants"]):
        signal.alarm(PER_MUTANT_S)
        try:
            got = outputs(load(path, f"probe_mutant_{number}"))
            verdicts[mutant_id] = next((f"{label} differs" for (label, want), (_, value)
                                        in zip(expected, got) if not same(want, value)), None)
        except BaseException as exc:   # noqa: BLE001 - import errors, timeouts, SystemExit
            verdicts[mutant_id] = f"probe failed: {type(exc).__name__}"
        finally:
            signal.alarm(0)
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main(sys.argv[1])
