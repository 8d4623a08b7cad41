"""Assertion helpers for graders: accept every honest form of an answer, name what is wrong.

Students return lists, float32, (N, 1) columns, 0-d arrays; graders compare float64 arrays of
the documented shape.  Every failure message says which value is wrong and how.  Graders pass
each value the student's code returned through one of these before computing with it: what
cannot be judged (a huge int, a ragged or deep list, a wrong type) then fails the check with
that reason; an error a check raises later on such a value is still the student's (the
rule is in gradekit/errors.py).
"""
import numpy as np
import pytest


def scalar(value, what):
    """A number from a plain scalar or a 0-d / one-element array."""
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(()).item()
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return scalar(value[0], what)
    if type(value) in (bool, int, float):
        try:
            float(value)
        except OverflowError:
            pytest.fail(f"{what} should be a number of float range, got a {len(str(value))}-"
                        "digit integer")
        return value
    pytest.fail(f"{what} should be a single number, got {describe(value)}")


def describe(value):
    """Short description of a decoded value for messages (never its content)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return type(value).__name__ if value is not None else "None"


def pair(value, what):
    """Unpack a returned pair such as (activations, outputs) or (weights, biases)."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        pytest.fail(f"{what} should return a pair, got {describe(value)}")
    return value


def as_array(value, shape, what):
    """Float64 array of exactly `shape`; a column (N, 1) for (N,) and nested lists are fine."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        why = "numbers beyond float range" if isinstance(exc, OverflowError) else \
            "ragged or nested too deep" if isinstance(exc, (ValueError, RecursionError)) else ""
        pytest.fail(f"{what} should be an array of numbers, got {describe(value)}"
                    + (f" ({why})" if why else ""))
    shape = tuple(shape)
    if array.shape != shape:
        squeezed = tuple(n for n in array.shape if n != 1)
        if array.size == int(np.prod(shape)) and squeezed == tuple(n for n in shape if n != 1):
            array = array.reshape(shape)
        elif array.ndim == 2 and array.shape[::-1] == shape:
            pytest.fail(f"{what} has shape {array.shape}, expected {shape} (transposed?)")
        else:
            pytest.fail(f"{what} has shape {array.shape}, expected {shape}")
    if not np.all(np.isfinite(array)):
        pytest.fail(f"{what} contains NaN or inf")
    return array


def close(actual, expected, rtol=1e-5, atol=1e-8):
    """Elementwise closeness, with atol scaled to the size of the expected values."""
    scale = max(1.0, float(np.max(np.abs(expected)))) if np.size(expected) else 1.0
    return np.isclose(actual, expected, rtol=rtol, atol=atol * scale)


def relative_error(a, b):
    """|a - b| / max(|a| + |b|, tiny), elementwise (CS231n's gradient-check measure)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)


def central_difference(f, x, h=1e-5):
    """Numerical gradient of scalar f at array x by centred differences; same shape as x."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        up = f(x)
        x[index] = saved - h
        down = f(x)
        x[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad
