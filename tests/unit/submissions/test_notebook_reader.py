"""submissions.notebook_reader: the fast path gives what nbformat.reads gives, and leaves to
nbformat whatever it is not sure of (another version, a schema error)."""
import copy
import json

import nbformat
import pytest

from gradekit.submissions.notebook_reader import Node, read_v4


def notebook(minor=5, cells=None):
    """A raw nbformat 4 notebook dict, as json.loads gives it."""
    return {"nbformat": 4, "nbformat_minor": minor,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"},
                         "signature": "sha256:abc", "orig_nbformat": 3},
            "cells": cells if cells is not None else [
                {"cell_type": "markdown", "id": "intro", "metadata": {},
                 "source": ["# Title\n", "text"]},
                {"cell_type": "code", "id": "code1", "execution_count": 1,
                 "metadata": {"trusted": True, "nbgrader": {"grade_id": "task1"}},
                 "source": ["def f(x):\n", "    return x\n"],
                 "outputs": [{"output_type": "stream", "name": "stdout",
                              "text": ["a\n", "b\n"]},
                             {"output_type": "execute_result", "execution_count": 1,
                              "metadata": {},
                              "data": {"text/plain": ["1\n", "2"],
                                       "application/json": {"a": [1, 2]}}}]}]}


def nbformat_gives(raw):
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    nbformat.validate(nb)
    return nb


@pytest.mark.parametrize("minor", [4, 5])
def test_a_valid_notebook_reads_as_nbformat_reads_it(minor):
    raw = notebook(minor)
    if minor < 5:
        for cell in raw["cells"]:
            cell.pop("id")
    got = read_v4(copy.deepcopy(raw))
    assert got == nbformat_gives(raw)
    assert got.cells[1].source == "def f(x):\n    return x\n"     # attribute access, joined
    assert got.cells[1].outputs[0].text == "a\nb\n"
    assert got.cells[1].outputs[1].data == {"text/plain": "1\n2", "application/json": {"a": [1, 2]}}
    assert "signature" not in got.metadata and "trusted" not in got.cells[1].metadata


def test_missing_and_repeated_cell_ids_are_made_unique():
    raw = notebook(5)
    raw["cells"][0].pop("id")
    raw["cells"][1]["id"] = "same"
    raw["cells"].append(dict(copy.deepcopy(raw["cells"][1]), id="same"))
    ids = [cell.id for cell in read_v4(raw).cells]
    assert ids[1] == "same" and len(set(ids)) == 3 and all(ids)


@pytest.mark.parametrize("change", [
    lambda raw: raw.update(nbformat=3),                         # another major version
    lambda raw: raw.update(nbformat_minor="5"),                 # not an int
    lambda raw: raw.update(nbformat_minor=1),                   # a minor without its schema
    lambda raw: raw["cells"][1].update(cell_type="program"),    # a schema error
    lambda raw: raw["cells"][1].pop("outputs"),
    lambda raw: raw.update(cells="not a list"),                 # an odd structure
])
def test_what_it_is_not_sure_of_is_left_to_nbformat(change):
    raw = notebook(5)
    change(raw)
    assert read_v4(raw) is None


def test_a_minor_newer_than_known_is_checked_against_the_latest_schema():
    assert read_v4(notebook(99)) is not None
    bad = notebook(99)
    bad["cells"][1]["cell_type"] = "program"
    assert read_v4(bad) is None


def test_node_reads_and_writes_attributes_and_raises_attribute_error():
    node = Node(a=1)
    node.b = 2
    assert (node.a, node["b"]) == (1, 2)
    with pytest.raises(AttributeError):
        node.missing
