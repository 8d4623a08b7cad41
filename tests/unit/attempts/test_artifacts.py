"""The graders' numbers kept on disk: arrays come back as they were, the file stays small."""
import json

import numpy as np

from gradekit.attempts import artifacts


def test_arrays_and_numbers_come_back_as_they_were(tmp_path):
    kept = {"train": {"W1": np.arange(6, dtype=np.float32).reshape(2, 3),
                      "losses": [0.5, 0.25, float("nan")], "seed": 2, "labels": np.array([0, 1])}}
    path = tmp_path / "a.artifacts.json"
    artifacts.write(path, kept)
    artifacts.write(path, kept)   # again, as a redelivered job does: the same file
    back = artifacts.read(path)["train"]
    assert back["W1"].dtype == np.float32 and back["W1"].shape == (2, 3)
    np.testing.assert_array_equal(back["W1"], kept["train"]["W1"])
    assert back["labels"].dtype == kept["train"]["labels"].dtype and back["seed"] == 2
    assert back["losses"][:2] == [0.5, 0.25] and np.isnan(back["losses"][2])
    assert [p.name for p in tmp_path.iterdir()] == ["a.artifacts.json"]


def test_the_largest_entries_are_left_out_over_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(artifacts, "MAX_BYTES", 50_000)
    path = tmp_path / "a.artifacts.json"
    artifacts.write(path, {"huge": {"losses": np.ones(20_000)}, "small": {"W1": np.ones((2, 3))}})
    assert path.stat().st_size < 50_000
    assert set(artifacts.read(path)) == {"small"}
    assert json.loads(path.read_text())["dropped"] == ["huge"]
    artifacts.write(path, {"odd": {"W1": np.ones(2, dtype=complex)}, "small": {"seed": 1}})
    assert artifacts.read(path) == {"small": {"seed": 1}}


def test_missing_or_broken_files_read_as_none(tmp_path):
    assert artifacts.read(tmp_path / "none.artifacts.json") is None
    broken = tmp_path / "broken.artifacts.json"
    broken.write_text('{"artifacts": ')
    assert artifacts.read(broken) is None
