"""Ready-made helpers for ML06: loading the data and the plots (matplotlib only)."""
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

COLORS = ("tab:blue", "tab:red")   # class 0 = blue dots, class 1 = red dots


def load_data(name):
    """Load `name` ("data_1" or "data_1.csv"); returns X: (N, 2) float, y: (N,) int.

    The CSV is looked up next to this module first, then in the working directory.
    """
    filename = name if name.endswith(".csv") else name + ".csv"
    path = Path(__file__).resolve().parent / filename
    if not path.exists():
        path = Path.cwd() / filename
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data[:, :2], data[:, 2].astype(int)


def _axes(ax):
    """The given Axes, or a new one in a new figure."""
    return plt.subplots()[1] if ax is None else ax


def plot_data(X, y, ax=None, labels=("x1", "x2")):
    """Scatter X: (N, 2) coloured by y: (N,) of 0/1; returns the Axes."""
    ax = _axes(ax)
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    for label, color in enumerate(COLORS):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=12, c=color, edgecolors="k", linewidths=0.3,
                   label=f"y = {label}")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    return ax


def plot_xy_2D_model(model, X, y, offset=0.5, ax=None, title=None):
    """Decision boundary of `model` over the data X: (N, 2), y: (N,); returns the Axes.

    model: a callable mapping (M, 2) points to (M,) labels or class-1 probabilities, or an
    object with .predict (e.g. a fitted MLPClassifier).  offset: how far (in data units)
    the plotted area extends beyond the data on every side; increase it to zoom out.
    """
    ax = _axes(ax)
    X = np.asarray(X, dtype=float)
    predict = model.predict if hasattr(model, "predict") else model
    lo, hi = X.min(axis=0) - offset, X.max(axis=0) + offset
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    grid = np.column_stack([g1.ravel(), g2.ravel()])                    # (40000, 2)
    values = np.asarray(predict(grid), dtype=float).reshape(g1.shape)   # (200, 200)
    ax.contourf(g1, g2, values, levels=np.linspace(0.0, 1.0, 11), cmap="bwr", alpha=0.3,
                extend="both")
    if values.min() < 0.5 < values.max():   # contour() warns when the level is never crossed
        ax.contour(g1, g2, values, levels=[0.5], colors="k", linewidths=1.0)
    plot_data(X, y, ax=ax)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    if title:
        ax.set_title(title)
    return ax


def plot_losses(losses, ax=None):
    """Loss after each epoch, losses: (epochs,), on a log scale; returns the Axes."""
    ax = _axes(ax)
    ax.semilogy(np.arange(1, len(losses) + 1), losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean cross-entropy")
    return ax


def plot_hidden_representation(X, y, Z, axes=None, title=None):
    """Two panels: inputs x1 vs x2 and hidden outputs z1 vs z2; returns the 2 Axes.

    X: (N, 2), y: (N,), Z: (N, H) with H >= 2 (only z1, z2 are drawn).  A good hidden
    layer maps the classes so that one line (the output unit) separates them.
    """
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(9, 4))[1]
    plot_data(X, y, ax=axes[0]).set_title("input space")
    plot_data(np.asarray(Z)[:, :2], y, ax=axes[1], labels=("z1", "z2"))
    axes[1].set_xlim(-0.05, 1.05)   # sigmoid outputs lie in (0, 1)
    axes[1].set_ylim(-0.05, 1.05)
    axes[1].set_title("hidden space" if title is None else title)
    return axes
