"""Scores of every pair of a class's documents, and where two documents match.

A fingerprint counts only if it is not the release's and not shared by most of the class
(code everyone writes alike, such as a one-line formula, proves nothing); a kept fingerprint
weighs log(1 + N / df), N authors of which df have it, so what only two share weighs most.
A document's weight is the sum over its kept fingerprints; a pair scores the weight they
share over the smaller document's weight (see _denominators): 1.0 for identical
documents, 0 when all they share is the starter.  Fingerprints are compared as
sets per document, so the order of cells and functions does not matter.

A whole notebook and its copies (pairs scoring COPIED or more) are one author: weights
count authors, not documents, so a form a student shared with the copies of their own
notebook still weighs as theirs alone.  A pair scores at least what its best function match
says (functions.py: one function copied into work of one's own), then more when the two
share unusual failures of the graders' tests (behaviour.py).
"""
import math
from collections import defaultdict

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .behaviour import lift, unusual
from .functions import function_matches

MIN_COMMON = 4        # a fingerprint in fewer documents is never class boilerplate
COMMON_SHARE = 0.7    # ... and in more than this share of them always is
SMALL_SHARE = 0.5     # of the median document's weight: the least a score is divided by
HISTOGRAM_BINS = 20   # of a histogram of scores: bins 0.05 wide
COPIED = 0.8          # a document this alike to another as a whole copied it


class Comparison:
    """All pairs of `documents` ({student id: document}, see documents.py); behaviour:
    {student id: {(test, output)}} of failed tests, or None.

    scores (N, N): what the pairs are ranked by (behaviour.py may raise them); code (N, N):
    the same from the code and answers alone; carried: the pairs their best function match
    carries (functions.py); failures: the unusual failures and who has them (behaviour.py).
    """

    def __init__(self, documents, starter_fps=frozenset(), behaviour=None):
        self.ids = sorted(documents)
        self.documents = documents
        starter_fps = set(starter_fps)
        sets = [{fp[0] for region in documents[i]["regions"] for fp in region["fps"]}
                - starter_fps for i in self.ids]
        n = len(self.ids)
        self.holders = defaultdict(int)   # how many documents have each fingerprint
        for fps in sets:
            for h in fps:
                self.holders[h] += 1
        self.family = np.arange(n)
        whole = self._weigh(sets)
        copied = whole >= COPIED
        np.fill_diagonal(copied, False)
        if copied.any():   # weigh again, counting each family of copies as one author
            self.family = connected_components(sparse.csr_matrix(copied), directed=False)[1]
            whole = self._weigh(sets)
        function, self.carried = function_matches(self, whole)
        self.code = np.minimum(np.maximum(whole, function), 1.0)
        np.fill_diagonal(self.code, 1.0)
        self.failures = unusual(behaviour or {}, self.ids)
        self.scores = lift(self.code, self.failures)
        self._cell_weights, self._places = {}, {}

    def _weigh(self, sets):
        """Weigh the fingerprints by how many families have each (see the module's
        docstring); sets weight, kept, totals, median and shared, and returns the
        (N, N) whole-document scores."""
        owned = defaultdict(set)
        for family, fps in zip(self.family, sets):
            owned[family] |= fps
        df = defaultdict(int)
        for fps in owned.values():
            for h in fps:
                df[h] += 1
        n = len(owned)
        common = max(MIN_COMMON, COMMON_SHARE * n)
        self.weight = {h: math.log(1 + n / d) for h, d in df.items() if d <= common}
        self.kept = [{h for h in fps if h in self.weight} for fps in sets]
        self.totals = np.array([sum(self.weight[h] for h in fps) for fps in self.kept])
        self.median = float(np.median(self.totals)) if n else 0.0
        self.shared = self._shared_weights()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.nan_to_num(self.shared / self._denominators())

    def _denominators(self):
        """(N, N): what a pair's shared weight is divided by: the smaller document's
        weight, so dead code added to a copy does not dilute it; but at least SMALL_SHARE
        of the median document's (never more than the larger one's), so that a nearly
        empty submission is not "contained" in every other."""
        smaller = np.minimum.outer(self.totals, self.totals)
        larger = np.maximum.outer(self.totals, self.totals)
        floor = np.minimum(SMALL_SHARE * self.median, larger)
        return np.maximum(smaller, floor)

    def incidence(self, sets):
        """Sparse 0/1 (len(sets), kept fingerprints): which kept fingerprints each set holds
        (the rows shared_weights() compares)."""
        column = {h: c for c, h in enumerate(self.weight)}
        rows, cols = [], []
        for row, fps in enumerate(sets):
            rows += [row] * len(fps)
            cols += [column[h] for h in fps]
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                 shape=(len(sets), len(column)))

    def shared_weights(self, matrix):
        """Sparse (rows, rows): the weight of the kept fingerprints each pair of rows of
        `matrix` (an incidence()) has in common."""
        weights = np.fromiter(self.weight.values(), float, len(self.weight))
        return matrix.multiply(weights).tocsr() @ matrix.T

    def _shared_weights(self):
        """(N, N) array: the weight of the fingerprints each pair has in common."""
        return self.shared_weights(self.incidence(self.kept)).toarray()

    def score(self, i, j) -> float:
        """The score of documents i and j (indices into ids), in [0, 1]."""
        return round(float(self.scores[i, j]), 4)

    def ranked(self, top=None):
        """[(score, a, b)] for every pair (a < b by id), highest score first; `top`: the
        first ones only (ties broken by ids, so runs agree)."""
        upper = np.triu_indices(len(self.ids), 1)
        values = np.round(self.scores[upper], 4)
        order = np.lexsort((upper[1], upper[0], -values))
        if top is not None:
            order = order[:top]
        return [(float(values[k]), int(upper[0][k]), int(upper[1][k])) for k in order]

    def histogram(self, bins=HISTOGRAM_BINS):
        """histogram() of every pair's score (where the class's honest pairs lie)."""
        return histogram(np.round(self.scores[np.triu_indices(len(self.ids), 1)], 4), bins)

    def matches(self, i, j):
        """Where i and j match: [(region of i, region of j, shared weight, shared hashes)]
        for every pair of regions sharing a kept fingerprint, heaviest first (covered()
        gives the lines)."""
        places_a, places_b = self.places(i), self.places(j)
        found = defaultdict(set)
        for h in self.kept[i] & self.kept[j]:
            for region_a, _, _ in places_a[h]:
                for region_b, _, _ in places_b[h]:
                    found[region_a, region_b].add(h)
        return sorted(((a, b, sum(self.weight[h] for h in hashes), hashes)
                       for (a, b), hashes in found.items()),
                      key=lambda m: (-m[2], m[0], m[1]))

    def covered(self, i, region, hashes):
        """The sorted lines of document i's region that fingerprints `hashes` cover."""
        return sorted({line for h in hashes for number, first, last in self.places(i)[h]
                       if number == region for line in range(first, last + 1)})

    def places(self, i):
        """{kept hash: [(region index, first line, last line)]} of document i (computed
        once)."""
        if i not in self._places:
            places = defaultdict(list)
            for number, region in enumerate(self.documents[self.ids[i]]["regions"]):
                for h, first, last in region["fps"]:
                    if h in self.weight:
                        places[h].append((number, first, last))
            self._places[i] = places
        return self._places[i]

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
        for a, b, weight, _ in matched:
            shared[regions_a[a]["cell"], regions_b[b]["cell"]] += weight
        rows = []
        for (a, b), weight in shared.items():
            value = min(1.0, weight / math.sqrt(totals_a[a] * totals_b[b]))
            if value >= least:
                rows.append({"a_cell": a, "b_cell": b, "score": round(value, 4)})
        rows.sort(key=lambda r: (-r["score"], r["a_cell"], r["b_cell"]))
        return rows


def histogram(scores, bins=HISTOGRAM_BINS):
    """[{"low", "high", "count"}]: how many of `scores` (floats in [0, 1]) fall in each of
    `bins` equal bins from 0 to 1, lowest first; a bin holds low <= score < high, the last
    one also 1.0."""
    scaled = np.round(np.clip(np.asarray(scores, float), 0.0, 1.0) * bins, 9)  # 0.15: 3rd
    counts = np.bincount(np.minimum(np.floor(scaled).astype(int), bins - 1), minlength=bins)
    return [{"low": round(k / bins, 4), "high": round((k + 1) / bins, 4),
             "count": int(counts[k])} for k in range(bins)]


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
