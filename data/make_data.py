"""Write the ML06 data sets data_1.csv and data_xor.csv deterministically.

    python data/make_data.py            # writes data/ and source/ML06/ (the release is self-contained)
    python data/make_data.py --out DIR  # writes only DIR
"""
import argparse
from pathlib import Path

import numpy as np

SEED = 0          # each data set gets its own generator, so changing one leaves the other intact
N_SAMPLES = 200
HERE = Path(__file__).resolve().parent
DEFAULT_DIRS = (HERE, HERE.parent / "source" / "ML06")


def make_band(rng, n=N_SAMPLES, half_width=0.5, margin=0.25):
    """Class 1 in a diagonal band between two parallel lines; returns X: (n, 2), y: (n,).

    Points uniform in [-2, 2]^2; those within `margin` of either line are dropped, so two
    lines separate the classes with a gap (a 2-2-1 MLP can reach 100 %) but one line cannot.
    """
    X = rng.uniform(-2.0, 2.0, size=(3 * n, 2))
    distance = (X[:, 1] - X[:, 0]) / np.sqrt(2.0)   # signed distance from the line x2 = x1
    keep = np.abs(np.abs(distance) - half_width) >= margin
    assert keep.sum() >= n, "candidate pool too small"
    return X[keep][:n], (np.abs(distance[keep][:n]) < half_width).astype(int)


def make_xor(rng, n=N_SAMPLES, spread=0.5, gap=0.1):
    """Four clusters, one per quadrant, class 1 where x1 * x2 < 0; returns X: (n, 2), y: (n,).

    Half-normal clusters pressed against the axes (kept `gap` away from them): the boundary
    needs two crossing lines, which a 2-2-1 MLP usually misses and four hidden units find.
    """
    signs = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]])
    quadrant = np.arange(n) % 4
    X = (np.abs(rng.normal(0.0, spread, size=(n, 2))) + gap) * signs[quadrant]
    return X, (X[:, 0] * X[:, 1] < 0).astype(int)


def to_csv(X, y):
    """CSV text with header x1,x2,y; fixed formatting so reruns give identical bytes."""
    rows = [f"{x1:.6f},{x2:.6f},{label:d}" for (x1, x2), label in zip(X, y)]
    return "x1,x2,y\n" + "\n".join(rows) + "\n"


def write_all(out_dirs):
    """Write both CSVs into every directory of out_dirs."""
    texts = {
        "data_1.csv": to_csv(*make_band(np.random.default_rng(SEED))),
        "data_xor.csv": to_csv(*make_xor(np.random.default_rng(SEED))),
    }
    for out_dir in out_dirs:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            # newline="\n": identical bytes on every platform
            (out_dir / name).write_text(text, encoding="ascii", newline="\n")


def main(argv=None):
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write only into this directory")
    args = parser.parse_args(argv)
    write_all([args.out] if args.out else DEFAULT_DIRS)


if __name__ == "__main__":
    main()
