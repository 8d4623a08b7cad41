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


def mlp_predict(X, coefs, intercepts, activation, classes):
    """Labels of X: (N, d) under sklearn's MLPClassifier semantics (binary, logistic output)."""
    hidden = ACTIVATIONS[activation]
    A = np.asarray(X, dtype=float)
    for k, (W, b) in enumerate(zip(coefs, intercepts)):
        A = A @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)
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
        predicted = mlp_predict(test[0], fit["coefs_"], fit["intercepts_"], activation,
                                np.ravel(fit["classes_"]))
        best = max(best, float(np.mean(predicted == test[1])))
    return best
