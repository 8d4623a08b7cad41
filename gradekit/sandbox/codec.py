"""Plain-number encoding between the grader and the sandbox: JSON with tagged arrays.

Only numbers, strings, lists and exact numpy arrays of numeric dtype ever cross; the parent
decodes with json.loads (no pickle), so a student object can never reach the grader's process.
Both sides import this file: the sandbox encodes answers, the parent decodes them.
"""
import numpy as np

MAX_ELEMENTS = 2_000_000
NUMERIC_KINDS = "biuf"  # bool, signed int, unsigned int, float: nothing else is a plain number


class NotPlain(ValueError):
    """A value that is not plain numbers (objects, ndarray subclasses, object arrays...)."""


def preload(modules=()):
    """Import an assignment's heavy libraries before confinement (MPLBACKEND is Agg)."""
    import importlib
    for name in modules:
        importlib.import_module(name)


def is_plain(value):
    """True for a scalar or tuple/list of scalars that JSON carries losslessly."""
    if isinstance(value, (tuple, list)):
        return all(is_plain(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


def encode_output(value, _budget=None):
    """Student value -> JSON-ready structure, or NotPlain naming what was wrong."""
    budget = _budget if _budget is not None else [MAX_ELEMENTS]
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        if kind is str and len(value) > 10_000:
            raise NotPlain("returned a string longer than 10000 characters")
        return value  # JSON keeps floats exactly (repr round-trips), NaN and inf included
    if isinstance(value, np.generic) and np.dtype(kind).kind in NUMERIC_KINDS:
        return {"__ndarray__": [value.item()], "dtype": value.dtype.str, "shape": []}
    if kind is np.ndarray:
        if value.dtype.kind not in NUMERIC_KINDS:
            raise NotPlain(f"returned an array of dtype {value.dtype}, expected numbers")
        budget[0] -= value.size
        if budget[0] < 0:
            raise NotPlain("returned more than 2000000 numbers")
        return {"__ndarray__": value.ravel().tolist(), "dtype": value.dtype.str,
                "shape": list(value.shape)}
    if isinstance(value, np.ndarray):
        raise NotPlain(f"returned an ndarray subclass ({kind.__name__}), expected a plain array")
    if kind in (list, tuple):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise NotPlain("returned more than 2000000 numbers")
        return {"__list__": [encode_output(v, budget) for v in value], "tuple": kind is tuple}
    if kind is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: encode_output(v, budget) for k, v in value.items()}}
    raise NotPlain(f"returned a {kind.__module__}.{kind.__qualname__} object, "
                   "expected numbers or numpy arrays")


ALLOWED_DTYPES = {np.dtype(t).str for t in
                  ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8")}


def decode_output(data):
    """JSON structure from the sandbox -> Python/numpy values (trusted side; validates tags)."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is dict and "__ndarray__" in data:
        dtype = str(data.get("dtype"))
        if dtype not in ALLOWED_DTYPES:
            raise NotPlain(f"array of unsupported dtype {dtype!r}")
        items = data["__ndarray__"]
        if type(items) is not list or any(type(v) not in (bool, int, float) for v in items):
            raise NotPlain("malformed array from the sandbox")
        shape = tuple(int(n) for n in data["shape"])
        return np.array(items, dtype=np.dtype(dtype)).reshape(shape)
    if type(data) is dict and "__list__" in data:
        items = [decode_output(v) for v in data["__list__"]]
        return tuple(items) if data.get("tuple") else items
    if type(data) is dict and "__dict__" in data:
        return {str(k): decode_output(v) for k, v in data["__dict__"].items()}
    raise NotPlain("malformed answer from the sandbox")


def encode_input(value):
    """Grader argument -> JSON-ready structure (arrays become tagged float/int lists)."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.ravel().tolist(), "dtype": value.dtype.str,
                "shape": list(value.shape)}
    if isinstance(value, (list, tuple)):
        return {"__list__": [encode_input(v) for v in value], "tuple": isinstance(value, tuple)}
    if isinstance(value, np.generic):
        return value.item()
    return value


def decode_input(data):
    """Inside the sandbox: tagged structure -> fresh numpy arrays / lists for the student."""
    if type(data) is dict and "__ndarray__" in data:
        return np.array(data["__ndarray__"], dtype=np.dtype(data["dtype"])).reshape(data["shape"])
    if type(data) is dict and "__list__" in data:
        items = [decode_input(v) for v in data["__list__"]]
        return tuple(items) if data.get("tuple") else items
    return data
