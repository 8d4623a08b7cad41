"""ML06's pictures on the feedback page: the student's own trained networks (trusted side).

The engine (gradekit/reports/feedback.py) calls draw() for each entry of FIGURES with the plain
numbers the graders kept in `artifacts` (test_train: "train_data_1", test_xor: "train_xor");
no student code runs here.  The course's own plotting helpers draw them, so the pictures
look like the notebook's.
"""
import types
from functools import lru_cache
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MAX_CURVE_POINTS = 2000   # a million-epoch loss list would make matplotlib crawl

# (picture, nbgrader grade cell it belongs to, caption)
FIGURES = [
    ("boundary_data_1", "test_train", "Decision boundary on data_1: your trained 2-2-1 beside "
                                      "the reference trained from the same start"),
    ("losses_data_1", "test_train", "Your loss history on data_1"),
    ("boundary_xor", "test_xor", "Your own MLP (XOR_HIDDEN units) on XOR"),
]
SOURCE = {"boundary_data_1": "train_data_1", "losses_data_1": "train_data_1",
          "boundary_xor": "train_xor"}
MISSING = {
    "train_data_1": "the graders could not train your network on data_1 with your defaults "
                    "(is train implemented and returning (W1, w2, losses)?)",
    "train_xor": "the graders could not train your network on XOR with XOR_HIDDEN hidden units "
                 "(are XOR_HIDDEN, init_weights and train implemented?)",
}


def _load(path, name):
    """Run a course file as a module, leaving no __pycache__ beside it (source/ is released)."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(compile(Path(path).read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


@lru_cache(maxsize=1)
def _kit():
    """The reference and data (graders' conftest) and the notebook's plotting helpers."""
    graders = _load(HERE / "conftest.py", "ml06_feedback_conftest")
    utils = _load(HERE.parents[1] / "source" / HERE.name / "ml06_utils.py", "ml06_feedback_utils")
    return types.SimpleNamespace(ref=graders.reference(), data=graders.datasets(), utils=utils)


@lru_cache(maxsize=16)
def _reference_run(seed):
    """The reference trained with its defaults on data_1 from init_weights(2, seed=seed)."""
    kit = _kit()
    X, y = kit.data.band
    return kit.ref.train(X, y, *kit.ref.init_weights(2, seed=seed))


def _losses(values):
    """The student's loss list as a 1-D float array, NaN for junk (None when nothing is finite)."""
    try:
        losses = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    if not np.isfinite(losses).any():
        return None
    return np.where(np.isfinite(losses), losses, np.nan)


def _boundary(ax, weights, X, y, title):
    kit = _kit()
    W1, w2 = (np.asarray(weights[k], dtype=float) for k in ("W1", "w2"))
    accuracy = np.mean(kit.ref.predict(X, W1, w2) == y)
    kit.utils.plot_xy_2D_model(lambda grid: kit.ref.forward(grid, W1, w2)[1], X, y, ax=ax,
                               title=f"{title}: {accuracy:.0%} of the training points")


def _boundary_data_1(figure, artifact):
    W1, w2, _ = _reference_run(int(artifact["seed"]))
    left, right = figure.subplots(1, 2)
    _boundary(left, artifact, *_kit().data.band, "your train")
    _boundary(right, {"W1": W1, "w2": w2}, *_kit().data.band, "reference")
    figure.set_size_inches(9, 3.8)


def _losses_data_1(figure, artifact):
    losses = _losses(artifact.get("losses"))
    if losses is None:
        return "the numbers your code returned could not be drawn"
    reference = np.asarray(_reference_run(int(artifact["seed"]))[2])
    ax = figure.subplots()
    for label, curve, style in (("your train", losses, "-"), ("reference", reference, "--")):
        step = max(1, len(curve) // MAX_CURVE_POINTS)
        ax.plot(np.arange(1, len(curve) + 1)[::step], curve[::step], style, label=label)
    if np.nanmin(losses) > 0:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss")
    ax.legend()
    figure.set_size_inches(5, 3.4)


def _boundary_xor(figure, artifact):
    hidden = np.shape(artifact["W1"])[0]
    _boundary(figure.subplots(), artifact, *_kit().data.xor, f"your MLP, {hidden} hidden")
    figure.set_size_inches(4.8, 3.8)


DRAW = {"boundary_data_1": _boundary_data_1, "losses_data_1": _losses_data_1,
        "boundary_xor": _boundary_xor}


def draw(name, figure, artifacts, course_root):
    """Draw picture `name` into `figure`; None when drawn, else why it cannot be (a sentence)."""
    artifact = artifacts.get(SOURCE[name])
    if not artifact:
        return MISSING[SOURCE[name]]
    return DRAW[name](figure, artifact)
