"""Winnowing fingerprints of token streams (Schleimer, Wilkerson and Aiken, 2003).

Every k-gram of a region's tokens is hashed with blake2b (stable across processes and
machines, unlike Python's salted hash(), so fingerprints can be cached and compared later);
in each window of W consecutive k-gram hashes the smallest is kept.  Any run of at least
K + W - 1 tokens that two regions share yields at least one common fingerprint.

Statements inserted between copied ones (dead code a copier adds) break the k-grams that
span them; so every statement of at least MIN_STATEMENT tokens is a fingerprint too, and a
copy keeps those of every statement it kept, wherever it moved them.
"""
from hashlib import blake2b

K = 10   # tokens per k-gram: about one short statement
W = 4    # k-grams per winnowing window
MIN_STATEMENT = 5   # tokens a statement needs to be a fingerprint of its own (not `return x`)


def stable_hash(text) -> int:
    """A 63-bit hash of `text` that is the same in every process."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def kgram_hashes(tokens, k=K):
    """Hashes of the k-grams of `tokens`: [(hash, first token index, last token index)].
    A stream shorter than k (a one-line function) is one k-gram of its own."""
    if not tokens:
        return []
    if len(tokens) < k:
        return [(stable_hash("\x1f".join(tokens)), 0, len(tokens) - 1)]
    return [(stable_hash("\x1f".join(tokens[i:i + k])), i, i + k - 1)
            for i in range(len(tokens) - k + 1)]


def winnow(hashes, w=W):
    """The fingerprints chosen from k-gram hashes: the rightmost minimum of every window
    of w, each position once.  hashes: [(hash, start, end)] -> the same, a subset."""
    if len(hashes) <= w:
        return list(hashes)
    chosen, last = [], -1
    for start in range(len(hashes) - w + 1):
        window = hashes[start:start + w]
        smallest = min(range(w), key=lambda i: (window[i][0], -i))
        if start + smallest != last:
            last = start + smallest
            chosen.append(hashes[last])
    return chosen


def fingerprints(tokens):
    """Winnowed fingerprints of one region's tokens: [(hash, first index, last index)]."""
    return winnow(kgram_hashes(tokens))


def statement_fingerprints(statements):
    """[(hash, line)] of the statements [(tokens, line)] long enough to tell something."""
    return [(stable_hash("stmt\x1f" + "\x1f".join(tokens)), line)
            for tokens, line in statements if len(tokens) >= MIN_STATEMENT]
