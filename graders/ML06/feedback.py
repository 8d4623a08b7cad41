"""ML06's pictures of the student's own trained networks (trusted side), and their features.

The engine (gradekit/reports/feedback.py) calls draw() for each entry of FIGURES with the plain
numbers the graders kept in `artifacts` (test_train: "train_data_1", test_xor: "train_xor");
no student code runs here.  The course's own plotting helpers draw them, so the pictures
look like the notebook's.  Grading by question (gradekit/manual/plots.py) draws the entries
of QUESTION_FIGURES of one task cell, and groups the class by features(): a few numbers in
[0, 1] that say what those pictures show (describe() puts them in words).
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
# (picture, manually graded task cell whose plot it shows, caption).  The graders keep no
# 2-2-1 trained on XOR: task12_plot has no picture and is graded from the notebook.
QUESTION_FIGURES = [
    ("losses_data_1", "task08_plot", "Loss history of the student's train on data_1 "
                                     "(their defaults) beside the reference's"),
    ("boundary_data_1", "task09_plot", "Decision boundary of the student's trained 2-2-1 on "
                                       "data_1 beside the reference's from the same start"),
    ("hidden_data_1", "task10_plot", "Hidden representation (z1, z2) of data_1 at the end of "
                                     "the student's training"),
    ("boundary_xor_outside", "task14_plot", "The student's own MLP (XOR_HIDDEN units) on XOR, "
                                            "zoomed out"),
]
SOURCE = {"boundary_data_1": "train_data_1", "losses_data_1": "train_data_1",
          "hidden_data_1": "train_data_1", "boundary_xor": "train_xor",
          "boundary_xor_outside": "train_xor"}
OUTSIDE = 4.0        # how far beyond the XOR data task 14 looks (the notebook's offset)
GRID = 60            # grid points per axis on which decision regions are compared
MAX_EPOCHS_LOG = 5   # epochs feature: log10(epochs) / 5, so 100,000 epochs -> 1
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


@lru_cache(maxsize=4)
def _reference_xor(seed):
    """The reference trained on XOR with its XOR_HIDDEN units from init_weights(seed=seed)."""
    kit = _kit()
    X, y = kit.data.xor
    return kit.ref.train(X, y, *kit.ref.init_weights(kit.ref.XOR_HIDDEN, seed=seed))


def _weights(artifact):
    W1, w2 = (np.nan_to_num(np.asarray(artifact[k], dtype=float)) for k in ("W1", "w2"))
    return W1, w2


def _boundary(ax, weights, X, y, title, offset=0.5):
    kit = _kit()
    W1, w2 = _weights(weights)
    accuracy = np.mean(kit.ref.predict(X, W1, w2) == y)
    kit.utils.plot_xy_2D_model(lambda grid: kit.ref.forward(grid, W1, w2)[1], X, y, ax=ax,
                               offset=offset,
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


def _hidden_data_1(figure, artifact):
    kit = _kit()
    X, y = kit.data.band
    Z = kit.ref.forward(X, *_weights(artifact))[0]
    kit.utils.plot_hidden_representation(X, y, Z, axes=figure.subplots(1, 2),
                                         title="hidden space after training")
    figure.set_size_inches(9, 3.8)


def _boundary_xor_outside(figure, artifact):
    hidden = np.shape(artifact["W1"])[0]
    _boundary(figure.subplots(), artifact, *_kit().data.xor, f"your MLP, {hidden} hidden",
              offset=OUTSIDE)
    figure.set_size_inches(4.8, 3.8)


DRAW = {"boundary_data_1": _boundary_data_1, "losses_data_1": _losses_data_1,
        "boundary_xor": _boundary_xor, "hidden_data_1": _hidden_data_1,
        "boundary_xor_outside": _boundary_xor_outside}


def draw(name, figure, artifacts, course_root):
    """Draw picture `name` into `figure`; None when drawn, else why it cannot be (a sentence)."""
    artifact = artifacts.get(SOURCE[name])
    if not artifact:
        return MISSING[SOURCE[name]]
    return DRAW[name](figure, artifact)


# -- features for grouping a class's plots: each in [0, 1] -------------------------------------

def _grid(X, offset):
    """Points (GRID * GRID, 2) over the bounding box of X (N, 2) widened by `offset`."""
    lo, hi = X.min(axis=0) - offset, X.max(axis=0) + offset
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
    return np.column_stack([g1.ravel(), g2.ravel()])


def _loss_shape(losses):
    """[final / initial loss, share of epochs the loss did not rise, log10(epochs) / 5]."""
    losses = losses[np.isfinite(losses)]
    start = losses[0]
    ratio = 1.0 if start <= 0 else float(np.clip(losses[-1] / start, 0.0, 1.0))
    steady = float(np.mean(np.diff(losses) <= 1e-12)) if len(losses) > 1 else 1.0
    return [ratio, steady, float(np.clip(np.log10(len(losses)) / MAX_EPOCHS_LOG, 0.0, 1.0))]


def _boundary_shape(W1, w2, reference):
    """[decision regions agreeing with the reference's on data_1's box, training accuracy,
    mean confidence |2 y_hat - 1| over the box]."""
    ref, (X, y) = _kit().ref, _kit().data.band
    grid = _grid(X, 0.5)
    y_hat = np.nan_to_num(ref.forward(grid, W1, w2)[1])
    agree = np.mean((y_hat >= 0.5) == ref.predict(grid, *reference))
    return [float(agree), float(np.mean(ref.predict(X, W1, w2) == y)),
            float(np.mean(np.abs(2 * y_hat - 1)))]


def _hidden_shape(W1, w2):
    """[training accuracy, share of saturated hidden outputs (|2 z - 1| > 0.8), distance of
    the two classes' mean (z1, z2) / sqrt(2)]."""
    ref, (X, y) = _kit().ref, _kit().data.band
    Z = np.nan_to_num(ref.forward(X, W1, w2)[0])[:, :2]
    apart = np.linalg.norm(Z[y == 1].mean(axis=0) - Z[y == 0].mean(axis=0)) / np.sqrt(2)
    return [float(np.mean(ref.predict(X, W1, w2) == y)),
            float(np.mean(np.abs(2 * Z - 1) > 0.8)), float(np.clip(apart, 0.0, 1.0))]


def _outside_shape(W1, w2):
    """[training accuracy on XOR, share of the data's box and of the zoomed-out area beyond
    it that follow XOR's quadrant rule]."""
    ref, (X, y) = _kit().ref, _kit().data.xor
    grid = _grid(X, OUTSIDE)
    inside = np.all((grid >= X.min(axis=0)) & (grid <= X.max(axis=0)), axis=1)
    right = ref.predict(grid, W1, w2) == ((grid[:, 0] > 0) ^ (grid[:, 1] > 0))
    return [float(np.mean(ref.predict(X, W1, w2) == y)), float(np.mean(right[inside])),
            float(np.mean(right[~inside]))]


def features(question, artifacts, course_root):
    """What the pictures of task cell `question` show for one attempt; None when the graders
    kept nothing to draw it from (or the question has no pictures)."""
    names = [name for name, cell, _ in QUESTION_FIGURES if cell == question]
    artifact = artifacts.get(SOURCE[names[0]]) if names else None
    if not artifact:
        return None
    if question == "task08_plot":
        losses = _losses(artifact.get("losses"))
        return None if losses is None else _loss_shape(losses)
    W1, w2 = _weights(artifact)
    if question == "task09_plot":
        return _boundary_shape(W1, w2, _reference_run(int(artifact["seed"]))[:2])
    if question == "task10_plot":
        return _hidden_shape(W1, w2)
    return _outside_shape(W1, w2)


def reference_features(question, course_root):
    """features() of the reference's own networks (seed 0), what groups are ordered by."""
    if question == "task14_plot":
        W1, w2, losses = _reference_xor(0)
        return _outside_shape(W1, w2)
    W1, w2, losses = _reference_run(0)
    return features(question, {"train_data_1": {"W1": W1, "w2": w2, "losses": losses,
                                                "seed": 0}}, course_root)


def describe(question, centre):
    """A group's features (features() order) in words, for its label."""
    if question == "task08_plot":
        ratio, steady, epochs = centre
        count = round(10 ** (epochs * MAX_EPOCHS_LOG))
        epochs = f"{count:,} epoch" + ("s" if count != 1 else "")
        if steady < 0.5:
            return f"loss rose in {1 - steady:.0%} of {epochs}"
        if ratio > 0.9:
            return f"loss did not fall in {epochs}"
        rose = "" if steady > 0.99 else f", rising in {1 - steady:.0%} of them"
        return f"loss fell to {ratio:.1%} of its start in {epochs}{rose}"
    if question == "task09_plot":
        return f"boundary agrees {centre[0]:.0%} with the reference, {centre[1]:.0%} of the " \
               f"points right, confidence {centre[2]:.2f}"
    if question == "task10_plot":
        return f"{centre[0]:.0%} of the points right, {centre[1]:.0%} of z saturated, " \
               f"classes {centre[2]:.2f} apart"
    return f"{centre[0]:.0%} of XOR right; {centre[1]:.0%} of the data's box and " \
           f"{centre[2]:.0%} beyond it follow the quadrants"
