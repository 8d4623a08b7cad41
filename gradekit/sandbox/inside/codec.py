"""Plain-number encoding between the grader and the sandbox: JSON with tagged arrays.

Only numbers, strings, lists and exact numpy arrays of numeric dtype ever cross; the parent
decodes with json.loads (no pickle), so a student object can never reach the grader's process.
Both sides import this file: the sandbox encodes answers, the parent decodes them.

The parent trusts nothing it reads: student code can write any bytes to the answer pipe.  An
answer is refused (NotPlain: the student's error for that call) when it is larger than
MAX_ANSWER_BYTES, holds more than MAX_CONTAINERS lists and dicts or MAX_ELEMENTS numbers in
all, nests deeper than MAX_DEPTH, has a whole number of more than MAX_INT_DIGITS digits, or
is not exactly what encode_output writes.  These are counted on the raw bytes before
json.loads builds anything, so decoding costs at most a small multiple of the cap.
"""
import json
import math

import numpy as np

MAX_ELEMENTS = 2_000_000     # numbers in one answer: a grader's largest input is ~40 000
MAX_ANSWER_BYTES = 64 << 20  # ~2 000 000 float64 written by repr, with room to spare
MAX_CONTAINERS = 100_000     # lists, tuples, dicts and arrays in one answer
MAX_DEPTH = 32               # nesting of lists, tuples and dicts
MAX_INT_DIGITS = 20          # uint64's largest; a longer whole number costs quadratic time
MAX_STRING = 10_000
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


def encode_output(value, _budget=None, _depth=0):
    """Student value -> JSON-ready structure, or NotPlain naming what was wrong."""
    budget = _budget if _budget is not None else [MAX_ELEMENTS]
    kind = type(value)
    if _depth > MAX_DEPTH:
        raise NotPlain(f"returned lists nested deeper than {MAX_DEPTH} levels")
    if value is None or kind in (bool, int, float, str):
        if kind is str and len(value) > MAX_STRING:
            raise NotPlain(f"returned a string longer than {MAX_STRING} characters")
        if kind is int and not -10 ** MAX_INT_DIGITS < value < 10 ** MAX_INT_DIGITS:
            raise NotPlain(f"returned a whole number of more than {MAX_INT_DIGITS} digits")
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
        return {"__list__": [encode_output(v, budget, _depth + 1) for v in value],
                "tuple": kind is tuple}
    if kind is dict and all(type(k) is str for k in value):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise NotPlain("returned more than 2000000 numbers")
        return {"__dict__": {k: encode_output(v, budget, _depth + 1) for k, v in value.items()}}
    raise NotPlain(f"returned a {kind.__module__}.{kind.__qualname__} object, "
                   "expected numbers or numpy arrays")


ALLOWED_DTYPES = {np.dtype(t).str for t in
                  ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8")}


def _whole_number(text):
    """json's parse_int: a long digit string is refused before int() converts it."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise NotPlain(f"returned a whole number of more than {MAX_INT_DIGITS} digits")
    return int(text)


def loads_answer(line):
    """One line from the sandbox (bytes) -> its JSON value, within this module's caps.

    Brackets and commas are counted on the raw bytes (C speed; those inside strings count
    too, which only makes the check stricter), so json.loads never builds more than
    MAX_CONTAINERS containers or about MAX_ELEMENTS values, and never recurses deeper than
    MAX_CONTAINERS (it stops at the interpreter's recursion limit well before that).
    """
    if len(line) > MAX_ANSWER_BYTES:
        raise NotPlain(f"answer larger than {MAX_ANSWER_BYTES >> 20} MB")
    containers = line.count(b"[") + line.count(b"{")
    if containers > MAX_CONTAINERS:
        raise NotPlain(f"answer holds more than {MAX_CONTAINERS} lists or arrays")
    if line.count(b",") > MAX_ELEMENTS + 4 * MAX_CONTAINERS:
        raise NotPlain(f"answer holds more than {MAX_ELEMENTS} numbers")
    try:
        return json.loads(line, parse_int=_whole_number)
    except RecursionError:
        raise NotPlain(f"answer nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:   # NotPlain from _whole_number, or not JSON at all
        raise exc if isinstance(exc, NotPlain) else NotPlain(
            "garbled answer from the sandbox (fd 4 was written to)") from None


def decode_output(data, _budget=None, _depth=0):
    """JSON structure from the sandbox -> Python/numpy values (trusted side).

    Validates every tag, dtype and shape, the depth and the number of values in all; raises
    NotPlain for anything encode_output could not have written.
    """
    budget = _budget if _budget is not None else [MAX_ELEMENTS]
    if _depth > MAX_DEPTH:
        raise NotPlain(f"answer nested deeper than {MAX_DEPTH} levels")
    if data is None or type(data) in (bool, int, float):
        return data
    if type(data) is str:
        if len(data) > MAX_STRING:
            raise NotPlain(f"returned a string longer than {MAX_STRING} characters")
        return data
    if type(data) is not dict:
        raise NotPlain("malformed answer from the sandbox")
    if "__ndarray__" in data:
        return _decode_array(data, budget)
    if type(data.get("__list__")) is list:
        budget[0] -= len(data["__list__"])
        if budget[0] < 0:
            raise NotPlain(f"returned more than {MAX_ELEMENTS} numbers")
        items = [decode_output(v, budget, _depth + 1) for v in data["__list__"]]
        return tuple(items) if data.get("tuple") is True else items
    if type(data.get("__dict__")) is dict:
        budget[0] -= len(data["__dict__"])
        if budget[0] < 0:
            raise NotPlain(f"returned more than {MAX_ELEMENTS} numbers")
        return {str(k): decode_output(v, budget, _depth + 1) for k, v in data["__dict__"].items()}
    raise NotPlain("malformed answer from the sandbox")


def _decode_array(data, budget):
    """A tagged array: numbers of an allowed dtype, a shape that holds exactly them."""
    dtype, items, shape = data.get("dtype"), data.get("__ndarray__"), data.get("shape")
    if type(dtype) is not str or dtype not in ALLOWED_DTYPES:
        raise NotPlain(f"array of unsupported dtype {str(dtype)[:20]!r}")
    if type(items) is not list or any(type(v) not in (bool, int, float) for v in items):
        raise NotPlain("malformed array from the sandbox")
    if type(shape) is not list or len(shape) > MAX_DEPTH \
            or any(type(n) is not int or n < 0 for n in shape) or math.prod(shape) != len(items):
        raise NotPlain("malformed array shape from the sandbox")
    budget[0] -= len(items)
    if budget[0] < 0:
        raise NotPlain(f"returned more than {MAX_ELEMENTS} numbers")
    try:
        return np.array(items, dtype=np.dtype(dtype)).reshape(shape)
    except (OverflowError, ValueError, TypeError):   # 2**70 in an int64 array, say
        raise NotPlain(f"array values do not fit its dtype {dtype}") from None


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
