"""Similarity of students' submissions: who may have copied from whom, with evidence.

documents.py turns each file into fingerprinted regions (regions.py cuts the code into
functions, tokens.py normalises it, fingerprints.py winnows it), scoring.py weighs what
pairs share (functions.py: one function copied; behaviour.py: the same unusual failures),
evidence.py says it in words.  sources.load_class loads a class (counted attempts or given
files); `compare` is the whole run: the pinned JSON of `gradekit similarity --json`;
`side_by_side` is what a page showing two notebooks needs; `histogram` bins scores
(Comparison.histogram: of every pair) for a page showing where the class's honest pairs
lie.
"""
from .documents import Starter, load_document
from .evidence import describe
from .scoring import COPIED, Comparison, clusters, histogram

CLUSTER_SCORE = COPIED   # pairs this alike as a whole join a cluster (honest pairs stay below)


def compare(assignment, documents, starter_fps=frozenset(), *, top=None, behaviour=None,
            detailed=None):
    """The pinned report: {"assignment", "pairs": [{"a", "b", "score", "cells",
    "evidence"}], "clusters": [[id, ...]]}, pairs highest score first (all of them when
    top is None).  documents: {student id: document}; behaviour: {student id: failed
    (test, output) pairs} or None.  detailed: how many of the first pairs carry their
    cells and evidence (None: every pair); the others, unless they score CLUSTER_SCORE or
    more, have "cells": [] and "evidence": [] (the evidence of every pair of a large class
    is far larger than anyone reads)."""
    comparison = Comparison(documents, starter_fps, behaviour)
    ranked = comparison.ranked()
    pairs = []
    for rank, (score, i, j) in enumerate(ranked if top is None else ranked[:top]):
        shown = detailed is None or rank < detailed or score >= CLUSTER_SCORE
        matched = comparison.matches(i, j) if shown and score > 0 else []
        pairs.append({"a": comparison.ids[i], "b": comparison.ids[j], "score": score,
                      "cells": comparison.cells(i, j, matched) if shown else [],
                      "evidence": describe(comparison, i, j, matched)
                      if shown else []})
    named = [(score, comparison.ids[i], comparison.ids[j]) for score, i, j in ranked]
    return {"assignment": assignment, "pairs": pairs,
            "clusters": clusters(comparison.ids, named, CLUSTER_SCORE)}


def side_by_side(comparison, a, b):
    """Matched passages of students a and b, for showing two notebooks aligned:
    [{"a_cell", "a_function", "a_lines", "b_cell", "b_function", "b_lines", "weight"}],
    heaviest first (lines: the lines of that cell the shared fingerprints cover)."""
    i, j = comparison.ids.index(a), comparison.ids.index(b)
    regions_a = comparison.documents[a]["regions"]
    regions_b = comparison.documents[b]["regions"]
    return [{"a_cell": regions_a[x]["cell"], "a_function": regions_a[x]["name"],
             "a_lines": comparison.covered(i, x, hashes), "b_cell": regions_b[y]["cell"],
             "b_function": regions_b[y]["name"], "b_lines": comparison.covered(j, y, hashes),
             "weight": round(weight, 3)}
            for x, y, weight, hashes in comparison.matches(i, j)]


__all__ = ["Comparison", "Starter", "compare", "histogram", "load_document", "side_by_side"]
