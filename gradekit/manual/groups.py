"""Answer groups: one grading decision per group of alike answers.

Free text (group_texts): normalised, blanks to group 0 and exact duplicates merged, then
TF-IDF of character n-grams (robust to typos and inflection) and of words and word pairs
(robust to reordered clauses), cosine distance, and average-linkage agglomerative clustering
cut at a distance threshold, so the number of groups follows the class, not a guess.
Plots (group_vectors): the same clustering over the feature vectors an assignment's hook
computes from each student's own trained network (gradekit/manual/plots.py).
Everything is deterministic: inputs are sorted before anything is fitted.
"""
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

# Average cosine distance at which two groups of answers stop merging.  On the generated class
# of benchmarks/answer_groups.py, answers of one phrasing (typos, synonyms, reordered clauses)
# lie 0.25-0.87 apart (median 0.53), answers of different phrasings 0.79-0.94 (1st
# percentile to median): average linkage merges different ideas from about 0.85 on.  0.75
# leaves a margin below that, since real answers to one question share more words than
# generated ones: a split costs one more group action, a wrong merge a move per member.
TEXT_THRESHOLD = 0.75
# Plot features are in [0, 1] by the hook's contract (no per-class rescaling: a class whose
# pictures all agree 97-100 % with the reference must stay one group); root-mean-square
# difference per feature at which groups stop merging.
VECTOR_THRESHOLD = 0.08
# A member is an outlier when its distance to the group's centre exceeds the group's median by
# OUTLIER_MADS robust deviations (median absolute deviation: one odd answer must not widen
# the yardstick it is measured by, as it would a standard deviation) and by OUTLIER_MARGIN at
# least (a tight group of near-copies has a tiny deviation that any typo would exceed).
OUTLIER_MADS, OUTLIER_MARGIN, OUTLIER_MIN_SIZE = 3.0, 0.15, 4
LABEL_TERMS = 3

NUMBER_WORDS = {word: str(value) for value, words in enumerate([
    ["zero", "nula"], ["one", "jeden", "jedna", "jedno"], ["two", "dva", "dve"],
    ["three", "tri"], ["four", "ctyri"], ["five"], ["six"], ["seven"], ["eight"], ["nine"],
    ["ten"]]) for word in words}
NOT_WORD = re.compile(r"[^\w]+")
# Words that say nothing on their own (English and Czech articles, prepositions, links); not
# sklearn's English list, which drops numbers and negations ("two", "not", "cannot").
FUNCTION_WORDS = frozenset("""a an the of to in on at for by with as and or is are be it its
this that these there which so we i you then than from into je jsou a i v ve na se z k s""".split())


@dataclass(frozen=True)
class Group:
    """Answers graded as one."""

    number: int                # 0 = blank answers; 1.. ordered by closeness to the model answer
    label: str                 # the group's most telling words ("blank", "2 lines, band", ...)
    members: tuple[str, ...]   # keys of the input dict, closest to the group's centre first
    outliers: tuple[str, ...]  # members far from their group's centre: flagged for a look


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces, number words as digits."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = NOT_WORD.sub(" ", text.replace("_", " ")).split()
    return " ".join(NUMBER_WORDS.get(word, word) for word in words)


def group_texts(answers: dict[str, str], solution: str) -> list[Group]:
    """Every key of `answers` in exactly one group; group 0 holds the blank answers."""
    texts = {key: normalise(answers[key]) for key in sorted(answers)}
    blank = tuple(key for key, text in texts.items() if not text)
    distinct = sorted({text for text in texts.values() if text})
    groups = [Group(0, "blank", blank, ())] if blank else []
    if not distinct:
        return groups
    vectors, terms, reference = _tfidf(distinct, normalise(solution))
    labels = _cluster(vectors, TEXT_THRESHOLD, metric="cosine")
    copies = Counter(text for text in texts.values() if text)
    weight = np.array([copies[text] for text in distinct], dtype=float)
    found = []
    for cluster in sorted(set(labels)):
        rows = np.flatnonzero(labels == cluster)
        centre = np.average(vectors[rows], axis=0, weights=weight[rows])
        distance = {distinct[r]: _cosine(vectors[r], centre) for r in rows}
        members = sorted((k for k, t in texts.items() if t in distance),
                         key=lambda k: (distance[texts[k]], k))
        found.append((_cosine(reference, centre) if reference.any() else -len(members),
                       _telling_words(vectors, rows, terms), members,
                       [distance[texts[k]] for k in members]))
    return groups + _numbered(found)


def group_vectors(features: dict[str, list[float] | None], reference: list[float], *,
                  describe=None) -> list[Group]:
    """Plot questions: None (nothing to draw) is group 0 "nothing drawn"; groups of alike
    feature vectors (each feature in [0, 1]) ordered by their centre's distance to
    `reference`.  describe(centre: list[float]) -> str labels a group (the hook's words);
    without it the label says how far the group is from the reference."""
    keys = sorted(features)
    missing = tuple(k for k in keys if features[k] is None)
    groups = [Group(0, "nothing drawn", missing, ())] if missing else []
    drawn = {k: tuple(float(v) for v in features[k]) for k in keys if features[k] is not None}
    distinct = sorted(set(drawn.values()))
    if not distinct:
        return groups
    scale = np.sqrt(len(distinct[0])) or 1.0   # per-feature (root-mean-square) distances
    vectors = np.nan_to_num(np.asarray(distinct, dtype=float), nan=0.0) / scale
    target = np.nan_to_num(np.asarray(reference, dtype=float).ravel(), nan=0.0) / scale
    if target.shape != vectors[0].shape:   # no reference to compare with: larger groups first
        target = None
    labels = _cluster(vectors, VECTOR_THRESHOLD, metric="euclidean")
    copies = Counter(drawn.values())
    weight = np.array([copies[vector] for vector in distinct], dtype=float)
    found = []
    for cluster in sorted(set(labels)):
        rows = np.flatnonzero(labels == cluster)
        centre = np.average(vectors[rows], axis=0, weights=weight[rows])
        distance = {distinct[r]: float(np.linalg.norm(vectors[r] - centre)) for r in rows}
        members = sorted((k for k, v in drawn.items() if v in distance),
                         key=lambda k: (distance[drawn[k]], k))
        away = float(np.linalg.norm(centre - target)) if target is not None else None
        label = (describe(list(centre * scale)) if describe else
                 f"{len(members)} alike" if away is None else
                 "like the reference" if away < VECTOR_THRESHOLD else
                 f"{away:.2f} from the reference")
        found.append((-len(members) if away is None else away, label, members,
                      [distance[drawn[k]] for k in members]))
    return groups + _numbered(found)


def _numbered(found) -> list[Group]:
    """Groups from (distance to the reference, label, members, their distances to the
    centre), numbered 1.. from the closest to the reference (ties: larger, then by name)."""
    found.sort(key=lambda g: (g[0], -len(g[2]), g[2][0]))
    return [Group(number, label, tuple(members), _outliers(members, distances))
            for number, (_, label, members, distances) in enumerate(found, 1)]


def _outliers(members, distances) -> tuple[str, ...]:
    """Members whose distance to the centre is far beyond the group's typical one."""
    if len(set(distances)) < OUTLIER_MIN_SIZE - 1 or len(members) < OUTLIER_MIN_SIZE:
        return ()   # too few distinct answers to say what is typical
    d = np.asarray(distances)
    median = np.median(d)
    spread = 1.4826 * np.median(np.abs(d - median))   # MAD, scaled like a standard deviation
    limit = median + max(OUTLIER_MADS * spread, OUTLIER_MARGIN)
    return tuple(m for m, x in zip(members, distances) if x > limit)


def _tfidf(texts, solution):
    """Rows (len(texts), F) of L2-normalised TF-IDF (characters and words, equal weight), the
    word terms' names (F,) ("" for character columns) and the solution's row (F,)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    corpus = texts + ([solution] if solution else [])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            stop_words=list(FUNCTION_WORDS),
                            token_pattern=r"(?u)\b\w+\b")   # "2" is a word here
    matrix = normalize(hstack([chars.fit_transform(corpus), words.fit_transform(corpus)]))
    matrix = matrix.toarray()
    terms = [""] * len(chars.vocabulary_) + list(words.get_feature_names_out())
    reference = matrix[-1] if solution else np.zeros(matrix.shape[1])
    return matrix[:len(texts)], terms, reference


def _cluster(vectors, threshold, *, metric) -> np.ndarray:
    """Cluster labels (N,) of rows (N, F): average linkage cut at `threshold`."""
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold,
                                    metric=metric, linkage="average")
    return model.fit_predict(vectors)


def _cosine(a, b) -> float:
    """Cosine distance of two vectors (F,); 1 when either is zero."""
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(1.0 - a @ b / norm) if norm else 1.0


def _telling_words(vectors, rows, terms) -> str:
    """The word terms whose mean weight in the group most exceeds their mean in the class
    (failing those, e.g. for the whole class: its heaviest terms), no word twice."""
    inside = vectors[rows].mean(axis=0)
    for score in (inside - vectors.mean(axis=0), inside):
        chosen = []
        for column in np.argsort(-score, kind="stable"):
            term = terms[column]
            if score[column] <= 1e-12 or len(chosen) == LABEL_TERMS:
                break
            if term and not any(set(term.split()) & set(c.split()) for c in chosen):
                chosen.append(term)
        if chosen:
            return ", ".join(chosen)
    return ""
