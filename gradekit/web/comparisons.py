"""A class's similarity for the instructor's pages, computed once per set of counted attempts.

Comparing a class takes seconds (the engine caches each file's fingerprints, not the pairs):
the pages compute it in a worker thread and keep the last result per assignment, keyed by
which attempts count (and when their reports were written, for the grading evidence) and by
the release, so a reload is instant and a new counted upload is compared at the next visit.
"""
import threading
from itertools import takewhile
from dataclasses import dataclass, field

import numpy as np

from ..attempts import pair_flags
from ..similarity import CLUSTER_SCORE, Comparison
from ..similarity.evidence import describe
from ..similarity.scoring import clusters
from ..similarity.sources import counted_attempts, load_class
from . import charts

LISTED = 50   # pairs listed on the page, highest first (flagged pairs are listed too)
CLUSTER_PAIRS = 10   # of a cluster's pairs, linked beside it (the most alike)


def _stamp(path):
    try:
        stat = path.stat()
    except (OSError, AttributeError):
        return None
    return (stat.st_mtime_ns, stat.st_size)


def class_key(course, assignment, sources) -> tuple:
    """What the comparison depends on: each student's counted archive and its report,
    and the release notebook (its code is left out of every score)."""
    release = tuple((p.name, _stamp(p))
                    for p in sorted(course.release_dir(assignment).glob("*.ipynb")))
    return release + tuple((s.student, str(s.path), _stamp(s.report)) for s in sources)


@dataclass
class ClassView:
    """One assignment's comparison: the engine's Comparison and loaded class, every pair
    ranked [(score, a, b)] (a < b), the clusters [{"members", "pairs": [(a, b, score)]}],
    the median and 95th percentile of all pair scores and their histogram (a data: URI;
    both None under two students) and each student's Source (sources.py)."""

    key: tuple
    comparison: Comparison
    loaded: object
    ranked: list
    clusters: list
    spread: dict | None
    histogram: str | None
    sources: dict
    _evidence: dict = field(default_factory=dict)
    _ranks: dict | None = None

    def score(self, a, b):
        """The pair's score, None when either has no counted attempt compared."""
        ids = self.comparison.ids
        if a not in self.sources or b not in self.sources or a == b:
            return None
        return self.comparison.score(ids.index(a), ids.index(b))

    def rank(self, a, b):
        """The pair's place among all pairs (1: most alike), None when not compared."""
        if self._ranks is None:
            self._ranks = {(x, y): k for k, (_, x, y) in enumerate(self.ranked, 1)}
        return self._ranks.get(pair_flags.ordered(a, b))

    def evidence(self, a, b) -> list:
        """The engine's sentences on pair (a, b) (computed once per pair)."""
        if (a, b) not in self._evidence:
            ids = self.comparison.ids
            i, j = ids.index(a), ids.index(b)
            matched = self.comparison.matches(i, j) if self.comparison.scores[i, j] > 0 else []
            self._evidence[a, b] = describe(self.comparison, i, j, matched)
        return self._evidence[a, b]


class Comparisons:
    """The latest ClassView of each assignment (one per service: app.state.comparisons)."""

    def __init__(self):
        self._views = {}
        self._locks = {}
        self._guard = threading.Lock()
        self.computed = 0   # how many comparisons were run (a reload runs none)

    def view(self, course, assignment) -> ClassView:
        """The current ClassView: the kept one while the counted attempts are the same,
        else a new one (blocking: call it in a worker thread)."""
        with self._guard:
            lock = self._locks.setdefault(assignment, threading.Lock())
        with lock:   # a second visitor meanwhile waits for this comparison, not another
            sources = counted_attempts(course, assignment)
            key = class_key(course, assignment, sources)
            kept = self._views.get(assignment)
            if kept is not None and kept.key == key:
                return kept
            for _ in range(3):   # an attempt that began to count while loading: again
                loaded = load_class(course, assignment)
                now = counted_attempts(course, assignment)
                if class_key(course, assignment, now) == key:
                    break
                sources, key = now, class_key(course, assignment, now)
            view = build(key, loaded, sources)
            self.computed += 1
            self._views[assignment] = view
            return view


def build(key, loaded, sources) -> ClassView:
    comparison = Comparison(loaded.documents, loaded.starter.fingerprints(),
                            loaded.behaviour)
    ranked = [(score, comparison.ids[i], comparison.ids[j])
              for score, i, j in comparison.ranked()]
    scores = comparison.scores[np.triu_indices(len(comparison.ids), 1)]
    spread = ({"median": float(np.median(scores)), "p95": float(np.percentile(scores, 95))}
              if len(scores) else None)
    strong = list(takewhile(lambda pair: pair[0] >= CLUSTER_SCORE, ranked))
    groups = [{"members": members,
               "pairs": [(a, b, score) for score, a, b in strong
                         if a in members and b in members][:CLUSTER_PAIRS]}
              for members in clusters(comparison.ids, ranked, CLUSTER_SCORE)]
    return ClassView(key, comparison, loaded, ranked, groups, spread,
                     charts.similarity_histogram(scores, CLUSTER_SCORE),
                     {s.student: s for s in sources if s.student in loaded.documents})
