"""data/make_data.py reproduces the committed CSVs, and the release copies match them."""
import subprocess
import sys

import numpy as np
import pytest

NAMES = ("data_1.csv", "data_xor.csv")


def test_make_data_reproduces_committed_csvs(course_root, tmp_path):
    subprocess.run([sys.executable, str(course_root / "data" / "make_data.py"), "--out", str(tmp_path)],
                   check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (course_root / "data" / name).read_bytes(), name


@pytest.mark.parametrize("name", NAMES)
def test_source_copies_equal_data(course_root, name):
    assert (course_root / "source" / "ML06" / name).read_bytes() == (course_root / "data" / name).read_bytes()


@pytest.mark.parametrize("name", ["data_1", "data_xor"])
def test_csv_shape(datasets, name):
    """About 200 points of both classes; data_1 is not linearly separable (checked in test_reference)."""
    X, y = datasets[name]
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0, 1}
