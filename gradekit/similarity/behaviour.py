"""Behavioural evidence: the same unusual failures of the graders' tests in two submissions.

The graders run every student's functions on fixed inputs, so two students failing a test
with the very same output (the same wrong gradient entries, the same odd loss) that few
others in the class have is evidence even when the code was rewritten.  It only adds to
what the code shows: honest students share common mistakes, so a failure counts when at
most RARE_FAILURE_SHARE of the class, or two students where that share is fewer, has it,
and a pair's score rises by at most BEHAVIOUR_LIFT times the lesser of its code score and
what the code score leaves to 1: nothing for code that shares nothing, never above 1.
"""
import math
from collections import defaultdict

import numpy as np

RARE_FAILURE_SHARE = 0.05   # a failure at most this share of the class has is unusual
BEHAVIOUR_LIFT = 0.3        # of min(code score, 1 - code score): the most failures add


def unusual(behaviour, ids):
    """{(test, output): [indices into `ids` of the students who have it]} of the failures
    few of them have; behaviour: {student id: {(test, output)}}."""
    holders = defaultdict(list)
    for k, student in enumerate(ids):
        for failure in behaviour.get(student, ()):
            holders[failure].append(k)
    most = max(2, RARE_FAILURE_SHARE * len(ids))
    return {failure: owners for failure, owners in holders.items()
            if 2 <= len(owners) <= most}


def lift(code, rare):
    """(N, N): the `code` scores (N, N), raised where a pair shares `rare` failures (see
    unusual()).  Each shared failure counts log(1 + N / holders) / log(1 + N / 2) (1 when
    only these two have it); strength = 1 - 2 ** -(their sum)."""
    scores = code.copy()
    pairs = defaultdict(list)   # (i, j): how many have each failure they share
    for owners in rare.values():
        for x, i in enumerate(owners):
            for j in owners[x + 1:]:
                pairs[i, j].append(len(owners))
    n = len(code)
    for (i, j), holders in pairs.items():
        weight = sum(math.log1p(n / h) for h in holders) / math.log1p(n / 2)
        strength = 1 - 2 ** -weight
        value = code[i, j] + BEHAVIOUR_LIFT * strength * min(code[i, j], 1 - code[i, j])
        scores[i, j] = scores[j, i] = value
    return np.minimum(scores, 1.0)
