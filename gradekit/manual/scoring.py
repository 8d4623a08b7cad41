"""A rubric grade's score: the one formula, Gradescope's.

Negative scoring starts from the question's maximum and its items take points off (their
points are negative); positive scoring starts from 0 and its items add points.  The free
adjustment is added last and the result clipped to [0, max].  Scores are computed from the
items whenever they are read, so editing an item rescores every grade that uses it at once.
"""
import math

SCORINGS = ("negative", "positive")
DEFAULT_SCORING = "negative"   # Gradescope's default


def score(scoring, max_score, points, adjust=0.0) -> float:
    """The score of a grade: `points` are the applied items' points (any length)."""
    start = max_score if scoring == "negative" else 0.0
    return round(min(max(start + sum(points) + adjust, 0.0), max_score), 4)


def number(value, what) -> float:
    """`value` as a finite float; ValueError (a 422) for anything else, booleans included."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number")
    return float(value)


def text(value, what, *, limit, required=False) -> str:
    """`value` as stripped text of at most `limit` characters; ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{what} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    return value
