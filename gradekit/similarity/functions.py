"""One function copied into work of one's own: the best function match of every pair.

Such a copy is diluted by the rest of the notebook, so a pair scores at least its best
function match times (FUNCTION_SHARE + REST_SHARE times the pair's whole score): of two
pairs that share one function alike, the one whose notebooks are otherwise more alike
comes first.  A match is the two functions' shared weight over the geometric mean of
theirs, cubed (only near-identity of a function is telling: two functions 80 % alike are
often one formula written alike), scaled down for matches of fewer than MATCH_LENGTH
fingerprints, as the square of their share of it (a short formula, a loss or a model's
constructor call, is often written alike by students who never met; length is counted,
not weighed, as how rare a form is comes next), and for forms others in the class wrote
too: down to RARITY_FLOOR of it as log(1 + F / (2 + others)) / log(1 + F / 2) falls, F
authors in the class, others being how many more authors have a function matching either
one as well, within SUPPORT_MARGIN (a solution many converge on honestly is weaker
evidence; the same function in only these two is the strongest, even when others wrote
one a line or two apart).  A whole notebook and its copies are one author
(scoring.Comparison.family).
"""
import math

import numpy as np

FUNCTION_SHARE = 0.65  # a pair scores at least this times its best function match
REST_SHARE = 0.1      # ... plus this times that match times the pair's whole score
MATCH_LENGTH = 30     # shared fingerprints (about a dozen lines) a match needs to count fully
RARITY_FLOOR = 0.5    # a long function many others wrote alike still counts this much
SUPPORT_MARGIN = 0.02  # others matching a function this close to a pair's match share its form
NEAR_IDENTITY = 3     # the power of a function match


def function_matches(comparison, whole):
    """((N, N) array, carried): what each pair's best function match says (see the
    module's docstring) of `comparison` (a scoring.Comparison being built), and
    {(i, j): (region of i, region of j, match, others)} where that is more than the
    pair's `whole` score (N, N), for the evidence (both ways round)."""
    owners, places, sets = [], [], []
    for row, student in enumerate(comparison.ids):
        for number, region in enumerate(comparison.documents[student]["regions"]):
            fps = {fp[0] for fp in region["fps"]} & comparison.kept[row]
            if region["kind"] == "code" and region["name"] and fps:
                owners.append(row)
                places.append(number)
                sets.append(fps)
    n = len(comparison.ids)
    best, carried = np.zeros((n, n)), {}
    if not sets:
        return best, carried
    owners = np.array(owners)
    totals = np.array([sum(comparison.weight[h] for h in fps) for fps in sets])
    # the same pairs of functions in the same order (weights are positive)
    matrix = comparison.incidence(sets)
    shared, counts = comparison.shared_weights(matrix).tocsr(), (matrix @ matrix.T).tocsr()
    shared.sort_indices()
    counts.sort_indices()
    shared, count = shared.tocoo(), counts.tocoo().data
    other = owners[shared.row] != owners[shared.col]
    rows, cols, weight, count = shared.row[other], shared.col[other], shared.data[other], \
        count[other]
    match = np.minimum(weight / np.sqrt(totals[rows] * totals[cols]), 1.0)
    # a whole notebook's copies are one author: they say nothing on how common a form is
    families = comparison.family[owners]
    pool = families[rows] != families[cols]
    support = np.minimum(_support(rows, families[cols], match, pool),
                         _support(cols, families[rows], match, pool))
    authors = len(set(comparison.family))
    rarity = RARITY_FLOOR + (1 - RARITY_FLOOR) * np.log1p(authors / (2 + support)) \
        / math.log1p(authors / 2)
    length = np.minimum(1.0, count / MATCH_LENGTH) ** 2
    a, b = owners[rows], owners[cols]
    evidence = match ** NEAR_IDENTITY * length * rarity
    value = evidence * (FUNCTION_SHARE + REST_SHARE * whole[a, b])
    np.maximum.at(best, (a, b), value)
    for k in sorted(np.flatnonzero(value > whole[a, b]), key=value.__getitem__):
        carried[int(a[k]), int(b[k])] = (places[rows[k]], places[cols[k]],
                                         float(match[k]), int(support[k]))
    return best, carried


def _support(rows, partners, match, pool):
    """For each function match (function rows[k] with a function of family partners[k],
    match[k], every match listed from both sides): how many other families have a function
    matching rows[k] at least about as well (within SUPPORT_MARGIN), counting only the
    matches in `pool` (a boolean mask), the partner's family left out: 0 when no one else
    wrote that function so, many when it is a common form."""
    order = np.lexsort((-match[pool], partners[pool], rows[pool]))
    row, family = rows[pool][order], partners[pool][order]
    best = np.ones(len(row), bool)   # each row's best match with each family
    best[1:] = (row[1:] != row[:-1]) | (family[1:] != family[:-1])
    keys = np.sort(row[best] + 0.5 * (1.0 - match[pool][order][best]))
    threshold = rows + 0.5 * (1.0 - np.maximum(match - SUPPORT_MARGIN, 0.0))
    starts = np.searchsorted(keys, rows.astype(float), side="left")
    return np.maximum(np.searchsorted(keys, threshold, side="right") - starts - pool, 0)
