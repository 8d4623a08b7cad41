"""Scores of every pair of a class's documents, and where two documents match.

A fingerprint counts only if it is not the release's and not shared by most of the class
(code everyone writes alike, such as the sigmoid, proves nothing); a kept fingerprint
weighs log(1 + N / df), N students of which df have it, so what only two students share
weighs most.  A document's weight is the sum over its kept fingerprints; a pair scores the
weight they share over the geometric mean of their weights: 1.0 for identical documents,
0 when all they share is the starter.  Fingerprints are compared as sets per document, so
the order of cells and functions does not matter.
"""
import math
from collections import defaultdict

import numpy as np
from scipy import sparse

MIN_COMMON = 4        # a fingerprint in fewer documents is never class boilerplate
COMMON_SHARE = 0.5    # ... and in more than this share of them always is


class Comparison:
    """All pairs of `documents` ({student id: document}, see documents.py)."""

    def __init__(self, documents, starter_fps=frozenset()):
        self.ids = sorted(documents)
        self.documents = documents
        starter_fps = set(starter_fps)
        sets = [{fp[0] for region in documents[i]["regions"] for fp in region["fps"]}
                - starter_fps for i in self.ids]
        df = defaultdict(int)
        for fps in sets:
            for h in fps:
                df[h] += 1
        n = len(self.ids)
        common = max(MIN_COMMON, COMMON_SHARE * n)
        self.weight = {h: math.log(1 + n / d) for h, d in df.items() if d <= common}
        self.pair_only_weight = math.log(1 + n / 2) - 1e-9   # held by two documents only
        self.common = {h for h, d in df.items() if d > common}
        self.kept = [{h for h in fps if h in self.weight} for fps in sets]
        self.totals = np.array([sum(self.weight[h] for h in fps) for fps in self.kept])
        self.shared = self._shared_weights()
        self._cell_weights = {}

    def _shared_weights(self):
        """(N, N) array: the weight of the fingerprints each pair has in common."""
        column = {h: c for c, h in enumerate(self.weight)}
        rows, cols = [], []
        for row, fps in enumerate(self.kept):
            rows += [row] * len(fps)
            cols += [column[h] for h in fps]
        weights = np.fromiter(self.weight.values(), float, len(column))
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                   shape=(len(self.ids), len(column)))
        return (matrix.multiply(weights).tocsr() @ matrix.T).toarray()

    def score(self, i, j) -> float:
        """The score of documents i and j (indices into ids), in [0, 1]."""
        if i == j:
            return 1.0
        denominator = math.sqrt(self.totals[i] * self.totals[j])
        if denominator == 0:
            return 0.0
        return round(min(1.0, self.shared[i, j] / denominator), 4)

    def ranked(self, top=None):
        """[(score, a, b)] for every pair (a < b by id), highest score first; `top`: the
        first ones only (ties broken by ids, so runs agree)."""
        n = len(self.ids)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = self.shared / np.sqrt(np.outer(self.totals, self.totals))
        scores = np.nan_to_num(np.minimum(scores, 1.0))
        upper = np.triu_indices(n, 1)
        values = np.round(scores[upper], 4)
        order = np.lexsort((upper[1], upper[0], -values))
        if top is not None:
            order = order[:top]
        return [(float(values[k]), int(upper[0][k]), int(upper[1][k])) for k in order]

    def matches(self, i, j):
        """Where i and j match: [(region of i, region of j, shared weight, lines of i,
        lines of j)] for every pair of regions sharing a kept fingerprint, heaviest first.
        Lines are sorted lists of the lines the shared fingerprints cover."""
        shared = self.kept[i] & self.kept[j]
        if not shared:
            return []
        first = _region_hits(self.documents[self.ids[i]], shared)
        second = _region_hits(self.documents[self.ids[j]], shared)
        found = []
        for a, hits_a in first.items():
            for b, hits_b in second.items():
                common = hits_a.keys() & hits_b.keys()
                if common:
                    weight = sum(self.weight[h] for h in common)
                    found.append((a, b, weight, _lines(hits_a, common), _lines(hits_b, common)))
        found.sort(key=lambda m: -m[2])
        return found

    def cell_weights(self, i):
        """{cell: weight of its kept fingerprints} of document i (computed once)."""
        if i not in self._cell_weights:
            totals = defaultdict(float)
            for region in self.documents[self.ids[i]]["regions"]:
                totals[region["cell"]] += sum(self.weight.get(h, 0.0)
                                              for h in {fp[0] for fp in region["fps"]})
            self._cell_weights[i] = totals
        return self._cell_weights[i]

    def cells(self, i, j, matched, least=0.05):
        """[{"a_cell", "b_cell", "score"}]: cell pairs that share code or text, their shared
        weight over the geometric mean of the cells' weights, highest first."""
        regions_a = self.documents[self.ids[i]]["regions"]
        regions_b = self.documents[self.ids[j]]["regions"]
        totals_a, totals_b, shared = self.cell_weights(i), self.cell_weights(j), defaultdict(float)
        for a, b, weight, _, _ in matched:
            shared[regions_a[a]["cell"], regions_b[b]["cell"]] += weight
        rows = []
        for (a, b), weight in shared.items():
            value = min(1.0, weight / math.sqrt(totals_a[a] * totals_b[b]))
            if value >= least:
                rows.append({"a_cell": a, "b_cell": b, "score": round(value, 4)})
        rows.sort(key=lambda r: (-r["score"], r["a_cell"], r["b_cell"]))
        return rows


def _region_hits(document, shared):
    """{region index: {hash: (first line, last line)}} of the shared fingerprints."""
    hits = defaultdict(dict)
    for number, region in enumerate(document["regions"]):
        for h, first, last in region["fps"]:
            if h in shared:
                hits[number][h] = (first, last)
    return hits


def _lines(hits, common):
    return sorted({line for h in common for line in range(hits[h][0], hits[h][1] + 1)})


def clusters(ids, pairs, threshold):
    """Groups of three or more ids joined by pairs scoring at least `threshold`:
    [[id, ...]], each sorted, largest group first."""
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for score, a, b in pairs:
        if score >= threshold:
            parent[root(a)] = root(b)
    groups = defaultdict(list)
    for i in ids:
        groups[root(i)].append(i)
    found = [sorted(g) for g in groups.values() if len(g) >= 3]
    return sorted(found, key=lambda g: (-len(g), g))
