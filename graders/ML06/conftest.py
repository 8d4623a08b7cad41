"""Fixtures of the hidden ML06 graders: the reference solution and hidden data.

Runs only in the trusted grading process.  Nothing defined here is ever sent to the sandbox
except the inputs a check passes to a student function; hidden labels never are.
"""
import importlib
import importlib.util
import sys
import types
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

COURSE = Path(__file__).resolve().parents[2]
HIDDEN_SEED = 20_061   # hidden test points: same distributions as the public data, new draws


def _import(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Deferred:
    """A name the reference imports from scikit-learn, imported only when it is used.

    The graders use the reference's numpy functions only (student estimators are fitted in
    the sandbox); importing scikit-learn would cost a cold grading about 1 s of its start.
    """

    def __init__(self, module, name):
        self._where = (module, name)

    def _real(self):
        return getattr(importlib.import_module(self._where[0]), self._where[1])

    def __call__(self, *args, **kwargs):
        return self._real()(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real(), name)


def _import_deferring(path, name, module="sklearn.neural_network", names=("MLPClassifier",)):
    """_import(path, name) where `from module import names` binds _Deferred stand-ins; the
    stand-in modules are in sys.modules only while the file runs."""
    if module in sys.modules:   # already paid for (a warm worker): nothing to defer
        return _import(path, name)
    parts = module.split(".")
    stand_ins = {".".join(parts[:i]): types.ModuleType(".".join(parts[:i]))
                 for i in range(1, len(parts) + 1) if ".".join(parts[:i]) not in sys.modules}
    for item in names:
        setattr(stand_ins[module], item, _Deferred(module, item))
    sys.modules.update(stand_ins)
    try:
        return _import(path, name)
    finally:
        for key in stand_ins:
            del sys.modules[key]


@lru_cache(maxsize=None)
def reference():
    """reference/ML06/mlp.py, imported once per process (warm workers keep it)."""
    return _import_deferring(COURSE / "reference" / "ML06" / "mlp.py", "ml06_reference")


@lru_cache(maxsize=None)
def datasets():
    """Public training data (as students have it) and hidden test draws of the same shapes."""
    make = _import(COURSE / "data" / "make_data.py", "ml06_make_data")
    def public(name):
        table = np.loadtxt(COURSE / "data" / name, delimiter=",", skiprows=1)
        return table[:, :2], table[:, 2].astype(int)
    rng = np.random.default_rng(HIDDEN_SEED)
    return SimpleNamespace(band=public("data_1.csv"), xor=public("data_xor.csv"),
                           band_test=make.make_band(rng, n=400),
                           xor_test=make.make_xor(rng, n=400))


# Computed when pytest imports this file, i.e. while a cold grading's sandbox is still starting
# on the other core (the reference imports scikit-learn, ~1 s); a warm process keeps them.
reference()
datasets()


@pytest.fixture(scope="session")
def ref():
    """The reference solution module (trusted side only)."""
    return reference()


@pytest.fixture(scope="session")
def data():
    """band/xor: public (X, y); band_test/xor_test: hidden (X, y) for accuracy checks."""
    return datasets()


@pytest.fixture(scope="session")
def mlp_accuracy():
    """accuracy_of_fits(student, factory, train, test, layers=None): the best hidden-test
    accuracy of the student's sklearn MLP over three seeds (sklearn_fits.py)."""
    module = _import(Path(__file__).with_name("sklearn_fits.py"), "ml06_sklearn_fits")
    return module.accuracy_of_fits


@pytest.fixture
def rng():
    """A fixed-seed generator per test: every run grades the same inputs."""
    return np.random.default_rng(HIDDEN_SEED + 1)


RUBRIC_ORDER = ["test_answers", "test_sigmoid", "test_init_weights", "test_forward", "test_loss",
                "test_gradients", "test_train", "test_predict", "test_sklearn_221", "test_xor"]


def pytest_collection_modifyitems(items):
    """Report checks in the notebook's order, not the alphabetical order of the files."""
    def position(item):
        cell = item.get_closest_marker("cell")
        return RUBRIC_ORDER.index(cell.args[0]) if cell and cell.args[0] in RUBRIC_ORDER else 99
    items.sort(key=position)   # stable: tests keep their order within a file
