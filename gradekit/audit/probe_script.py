"""Equivalence probe, run ONLY as `python -I probe_script.py REQUEST.json`, in its own process."""
# It imports the reference and each mutant (code that must not run beside the graders), runs
# the assignment's battery (graders/<A>/audit_probe.py: battery() -> [(label, call(module))])
# on each, and prints one JSON object: per mutant id, null when every output matches the
# reference's, else why not.  A battery on which the reference itself raises proves nothing:
# every verdict is then "unknown" and no mutant is excepted.
# Standalone on purpose: numpy only, no gradekit import.
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


class Raised:
    """A battery call that raised: equal to another Raised of the same exception type."""

    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Raised) and other.name == self.name


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


def outputs(module, battery):
    """The battery's results on one module; an exception is a result too (its type)."""
    results = []
    for label, call in battery:
        try:
            results.append((label, call(module)))
        except Exception as exc:   # noqa: BLE001 - a mutant may raise anything
            results.append((label, Raised(type(exc).__name__)))
    return results


class Overtime(BaseException):
    """Raised by the alarm; a BaseException, so the battery's `except Exception` lets it by."""


def on_alarm(*_):
    raise Overtime()


def main(request_path):
    sys.dont_write_bytecode = True   # no __pycache__ beside the graders or the reference
    with open(request_path, encoding="utf-8") as file:
        request = json.load(file)
    np.seterr(all="ignore")   # mutants overflow; warnings are not differences
    import warnings
    warnings.simplefilter("ignore")
    battery = load(request["battery"], "probe_battery").battery()
    expected = outputs(load(request["reference"], "probe_reference"), battery)
    raised = [(label, want.name) for label, want in expected if isinstance(want, Raised)]
    if not battery or raised:
        why = (f"the reference raised {raised[0][1]} on {raised[0][0]}" if raised
               else "the battery is empty")
        print(json.dumps({mutant_id: f"unknown: {why}" for mutant_id, _ in request["mutants"]}))
        return
    verdicts = {}
    signal.signal(signal.SIGALRM, on_alarm)
    for number, (mutant_id, path) in enumerate(request["mutants"]):
        signal.alarm(PER_MUTANT_S)
        try:
            got = outputs(load(path, f"probe_mutant_{number}"), battery)
            verdicts[mutant_id] = next((f"{label} differs" for (label, want), (_, value)
                                        in zip(expected, got) if not same(want, value)), None)
        except BaseException as exc:   # noqa: BLE001 - import errors, timeouts, SystemExit
            verdicts[mutant_id] = f"probe failed: {type(exc).__name__}"
        finally:
            signal.alarm(0)
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main(sys.argv[1])
