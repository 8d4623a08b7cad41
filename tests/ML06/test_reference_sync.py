"""The solution blocks of source/ML06/ML06.ipynb compute exactly what reference/ML06/mlp.py does."""
import ast
import inspect

import matplotlib
import nbformat
import numpy as np
import pytest

DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Assign)
RTOL = 1e-12   # the same code on the same inputs: only the last bits may differ


def is_definition_cell(source):
    """True for cells made only of imports, defs and constant assignments (no plots, no training)."""
    body = ast.parse(source).body
    return all(isinstance(node, DEFINITIONS) and not (
        isinstance(node, ast.Assign) and not isinstance(node.value, ast.Constant)) for node in body)


@pytest.fixture(scope="module")
def notebook(course_root, monkeypatch_module):
    """Namespace of the source notebook's definition cells (with the solutions in place)."""
    matplotlib.use("Agg")
    monkeypatch_module.syspath_prepend(str(course_root / "source" / "ML06"))
    nb = nbformat.read(course_root / "source" / "ML06" / "ML06.ipynb", as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        if is_definition_cell(source):
            exec(compile(source, f"ML06.ipynb:{cell.id}", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def monkeypatch_module():
    """A module-scoped monkeypatch (sys.path is restored after the module)."""
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def api(reference):
    """Public names that reference/ML06/mlp.py defines itself (the pinned student API)."""
    functions = {name for name, value in vars(reference).items()
                 if inspect.isfunction(value) and value.__module__ == reference.__name__}
    constants = {name for name in vars(reference) if name.isupper()}
    return sorted(name for name in functions | constants if not name.startswith("_"))


def test_notebook_defines_whole_api(notebook, api):
    assert {"sigmoid", "init_weights", "forward", "loss", "gradients", "train", "predict",
            "make_mlp_221", "make_xor_mlp", "ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5",
            "XOR_HIDDEN"} <= set(api)
    assert set(api) <= set(notebook)


@pytest.mark.parametrize("name", ["ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5", "XOR_HIDDEN"])
def test_answers(notebook, reference, name):
    assert type(notebook[name]) is type(getattr(reference, name))
    assert notebook[name] == getattr(reference, name)


def random_problem(seed, n_hidden):
    """X: (N, 2), y: (N,), W1: (H, 3), w2: (H+1,) with moderately large weights."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(30, 2)), rng.integers(0, 2, size=30),
            rng.normal(size=(n_hidden, 3)), rng.normal(size=n_hidden + 1))


def assert_same(a, b):
    """Equal structure, equal values up to RTOL."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, z in zip(a, b):
            assert_same(x, z)
    else:
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=0)
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype


def test_sigmoid(notebook, reference):
    a = np.concatenate([np.random.default_rng(0).normal(scale=20, size=50), [-1000.0, 0.0, 1000.0]])
    assert_same(notebook["sigmoid"](a), reference.sigmoid(a))
    assert_same(notebook["sigmoid"](a.reshape(-1, 1)), reference.sigmoid(a.reshape(-1, 1)))


@pytest.mark.parametrize("n_hidden", [1, 2, 5])
@pytest.mark.parametrize("seed", [0, 1, 123])
def test_init_weights(notebook, reference, n_hidden, seed):
    assert_same(notebook["init_weights"](n_hidden, seed), reference.init_weights(n_hidden, seed))


@pytest.mark.parametrize("n_hidden", [2, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_forward_loss_gradients_predict(notebook, reference, n_hidden, seed):
    X, y, W1, w2 = random_problem(seed, n_hidden)
    y_hat = reference.forward(X, W1, w2)[1]
    assert_same(notebook["forward"](X, W1, w2), reference.forward(X, W1, w2))
    assert notebook["loss"](y, y_hat) == pytest.approx(reference.loss(y, y_hat), rel=RTOL)
    assert type(notebook["loss"](y, y_hat)) is float
    assert_same(notebook["gradients"](X, y, W1, w2), reference.gradients(X, y, W1, w2))
    assert_same(notebook["predict"](X, W1, w2), reference.predict(X, W1, w2))


@pytest.mark.parametrize("kwargs", [{"epochs": 300}, {"alpha": 0.5, "epochs": 300, "eps": 1e-3}, {}])
def test_train(notebook, reference, datasets, kwargs):
    X, y = datasets["data_1"]
    W1, w2 = reference.init_weights(2, seed=1)
    ours, theirs = notebook["train"](X, y, W1, w2, **kwargs), reference.train(X, y, W1, w2, **kwargs)
    assert_same(ours[:2], theirs[:2])
    assert len(ours[2]) == len(theirs[2])
    np.testing.assert_allclose(ours[2], theirs[2], rtol=RTOL, atol=0)


@pytest.mark.parametrize("factory", ["make_mlp_221", "make_xor_mlp"])
def test_sklearn_factories(notebook, reference, factory):
    assert notebook[factory]().get_params() == getattr(reference, factory)().get_params()
