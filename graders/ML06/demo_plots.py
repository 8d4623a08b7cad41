"""The exercise's own plots (tasks 8-10, 14) drawn from the reference, for `gradekit demo`.

Named by demo.toml (plots = "demo_plots.py"); the demo calls save_plots(course_root, folder).
"""
import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt

ASSIGNMENT = "ML06"
SEED = 0
XOR_SEEDS = (0, 1, 2)    # task 14 reruns
SNAPSHOTS = (0, 300, 3000)   # task 10: epochs at which the hidden layer is drawn


def load_module(path, name):
    """Import a file that is not part of an installed package (reference/, source/)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def save(fig, out, name):
    """Write fig to out/name and free it."""
    fig.tight_layout()
    fig.savefig(out / name, dpi=80)
    plt.close(fig)
    print(f"  saved {out / name}")


def data_1_plots(ref, utils, out):
    """Tasks 8-10 on data_1 with the reference 2-2-1 network."""
    X, y = utils.load_data("data_1")   # X: (N, 2), y: (N,); the copy shipped next to ml06_utils
    W1, w2, losses = ref.train(X, y, *ref.init_weights(2, seed=SEED))
    accuracy = (ref.predict(X, W1, w2) == y).mean()
    print(f"data_1, 2-2-1, seed {SEED}: {len(losses)} epochs, training accuracy {accuracy:.1%}")
    save(utils.plot_losses(losses).figure, out, "task08_losses.png")

    W1_long, w2_long, _ = ref.train(X, y, W1, w2, epochs=30000, eps=1e-12)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for ax, (A, b), title in zip(axes, ((W1, w2), (W1_long, w2_long)), ("trained", "+30000 epochs")):
        utils.plot_xy_2D_model(lambda P, A=A, b=b: ref.forward(P, A, b)[1], X, y, ax=ax, title=title)
    save(fig, out, "task09_boundary.png")

    fig, axes = plt.subplots(len(SNAPSHOTS), 2, figsize=(9, 4 * len(SNAPSHOTS)))
    W1, w2 = ref.init_weights(2, seed=SEED)
    for row, done, epoch in zip(axes, (0,) + SNAPSHOTS, SNAPSHOTS):
        if epoch > done:   # eps = -inf: exactly the missing epochs, no early stop
            W1, w2, _ = ref.train(X, y, W1, w2, epochs=epoch - done, eps=-float("inf"))
        utils.plot_hidden_representation(X, y, ref.forward(X, W1, w2)[0], axes=row,
                                         title=f"hidden space after {epoch} epochs")
    save(fig, out, "task10_hidden.png")


def xor_plots(ref, utils, out):
    """Task 14: XOR_HIDDEN hidden units on data_xor, zoomed out, several seeds."""
    X, y = utils.load_data("data_xor")
    fig, axes = plt.subplots(1, len(XOR_SEEDS), figsize=(5 * len(XOR_SEEDS), 4.5))
    for seed, ax in zip(XOR_SEEDS, axes):
        W1, w2, _ = ref.train(X, y, *ref.init_weights(ref.XOR_HIDDEN, seed=seed))
        accuracy = (ref.predict(X, W1, w2) == y).mean()
        print(f"data_xor, 2-{ref.XOR_HIDDEN}-1, seed {seed}: training accuracy {accuracy:.1%}")
        utils.plot_xy_2D_model(lambda P: ref.predict(P, W1, w2), X, y, offset=4, ax=ax,
                               title=f"seed {seed}, accuracy {accuracy:.1%}")
    save(fig, out, "task14_xor_zoomed_out.png")


def save_plots(course_root: Path, out: Path):
    """Print the reference's training accuracies and save the task 8-10 and 14 plots in out."""
    plt.switch_backend("Agg")   # files only: never open a window or block
    root = Path(course_root).resolve()
    ref = load_module(root / "reference" / ASSIGNMENT / "mlp.py", "ml06_reference")
    utils = load_module(root / "source" / ASSIGNMENT / "ml06_utils.py", "ml06_utils")
    out.mkdir(parents=True, exist_ok=True)
    data_1_plots(ref, utils, out)
    xor_plots(ref, utils, out)
