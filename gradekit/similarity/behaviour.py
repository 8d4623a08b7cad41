"""Behavioural evidence: the same unusual failures of the graders' tests in two submissions.

The graders run every student's functions on fixed inputs, so two students failing a test
with the very same output (the same wrong gradient entries, the same odd loss) that few
others in the class have is evidence even when the code was rewritten.  It only adds to
what the code shows: honest students share common mistakes, so a failure counts when at
most RARE_FAILURE_SHARE of the class (and never more than two students, in a small class)
has it, and a pair's score rises by at most BEHAVIOUR_LIFT times the lesser of its code
score and what the code score leaves to 1: nothing for code that shares nothing, never
above 1.
"""
import math

import numpy as np

RARE_FAILURE_SHARE = 0.05   # a failure at most this share of the class has is unusual
BEHAVIOUR_LIFT = 0.3        # of min(code score, 1 - code score): the most failures add


def unusual(behaviour, ids):
    """{(test, output): how many of `ids` have it} of the failures few of them have;
    behaviour: {student id: {(test, output)}}."""
    counts = {}
    for student in ids:
        for failure in behaviour.get(student, ()):
            counts[failure] = counts.get(failure, 0) + 1
    most = max(2, RARE_FAILURE_SHARE * len(ids))
    return {failure: count for failure, count in counts.items() if 2 <= count <= most}


def lift(code, ids, behaviour):
    """(N, N): the `code` scores (N, N) of the students `ids`, raised where a pair shares
    unusual failures.  Each shared failure counts log(1 + N / holders) / log(1 + N / 2) (1
    when only these two have it); strength = 1 - 2 ** -(their sum)."""
    scores = code.copy()
    if not behaviour:
        return scores
    rare = unusual(behaviour, ids)
    pairs = {}
    for failure in rare:
        owners = [k for k, s in enumerate(ids) if failure in behaviour.get(s, ())]
        for x, i in enumerate(owners):
            for j in owners[x + 1:]:
                pairs.setdefault((i, j), []).append(failure)
    n = len(ids)
    for (i, j), failures in pairs.items():
        weight = sum(math.log1p(n / rare[f]) for f in failures) / math.log1p(n / 2)
        strength = 1 - 2 ** -weight
        value = code[i, j] + BEHAVIOUR_LIFT * strength * min(code[i, j], 1 - code[i, j])
        scores[i, j] = scores[j, i] = value
    return np.minimum(scores, 1.0)
