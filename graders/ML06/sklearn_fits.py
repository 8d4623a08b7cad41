"""Evaluate a student's scikit-learn MLP from plain weights, on the trusted side.

The sandbox fits copies of the student's estimator and sends back only coefs_/intercepts_;
predictions on hidden points are computed here, so no student object is ever trusted.
Loaded by conftest.py (graders reach it through the `mlp_accuracy` fixture).
"""
import numpy as np
import pytest

ACTIVATIONS = {
    "logistic": lambda a: 1.0 / (1.0 + np.exp(-np.clip(a, -500, 500))),
    "tanh": np.tanh,
    "relu": lambda a: np.maximum(a, 0.0),
    "identity": lambda a: a,
}


MAX_WIDTH = 4096    # units in one layer: an (N, width) activation must stay small
MAX_LAYERS = 16


def network(coefs, intercepts, n_inputs, factory):
    """The fitted weights as float arrays, their shapes checked against each other BEFORE
    any arithmetic with trusted data: W_k (d_k, d_k+1) with d_0 = n_inputs, b_k (d_k+1,).
    A forged shape would otherwise broadcast X @ W + b to gigabytes."""
    try:
        coefs = [np.asarray(W, dtype=float) for W in coefs]
        intercepts = [np.asarray(b, dtype=float) for b in intercepts]
    except (TypeError, ValueError):
        pytest.fail(f"{factory}: coefs_/intercepts_ are not arrays of numbers")
    if not 1 <= len(coefs) == len(intercepts) <= MAX_LAYERS:
        pytest.fail(f"{factory}: expected 1 to {MAX_LAYERS} layers of coefs_ and intercepts_")
    width = n_inputs
    for W, b in zip(coefs, intercepts):
        if W.ndim != 2 or W.shape[0] != width or b.shape != (W.shape[1],) \
                or not 1 <= W.shape[1] <= MAX_WIDTH:
            pytest.fail(f"{factory}: the fitted layers have shapes {W.shape} and {b.shape}, "
                        f"expected ({width}, k) and (k,) with k <= {MAX_WIDTH}")
        width = W.shape[1]
    return coefs, intercepts


def mlp_predict(X, coefs, intercepts, activation, classes):
    """Labels of X: (N, d) under sklearn's MLPClassifier semantics (binary, logistic output);
    coefs/intercepts as network() checked them."""
    hidden = ACTIVATIONS[activation]
    A = np.asarray(X, dtype=float)
    for k, (W, b) in enumerate(zip(coefs, intercepts)):
        A = A @ W + b
        if k < len(coefs) - 1:
            A = hidden(A)
    return np.asarray(classes)[(A.ravel() > 0).astype(int)]   # logistic(a) > 0.5 <=> a > 0


def accuracy_of_fits(student, factory, train, test, layers=None, seeds=(0, 1, 2)):
    """Best test accuracy over fits with several random_state values (local minima happen)."""
    X, y = train
    model = student.sklearn(factory, fits=[(seed, X, y) for seed in seeds], timeout=60.0,
                            attributes=("coefs_", "intercepts_", "classes_"))
    activation = model["params"].get("activation")
    if activation not in ACTIVATIONS:
        pytest.fail(f"{factory}: unknown activation {activation!r}")
    best = 0.0
    for fit in model["fits"]:
        shapes = [tuple(np.shape(W)) for W in fit["coefs_"]]
        if layers is not None and shapes != layers:
            pytest.fail(f"{factory}: the fitted network has layers {shapes}, expected {layers}")
        if len(np.ravel(fit["classes_"])) != 2 or np.shape(fit["coefs_"][-1])[-1] != 1:
            pytest.fail(f"{factory}: expected a binary classifier with one output unit")
        coefs, intercepts = network(fit["coefs_"], fit["intercepts_"], np.shape(test[0])[1],
                                    factory)
        predicted = mlp_predict(test[0], coefs, intercepts, activation,
                                np.ravel(fit["classes_"]))
        best = max(best, float(np.mean(predicted == test[1])))
    return best
