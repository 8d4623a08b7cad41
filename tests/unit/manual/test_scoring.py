"""scoring.score: Gradescope's formula, clipped to [0, max]."""
import math

import pytest

from gradekit.manual.scoring import number, score


@pytest.mark.parametrize("scoring, points, adjust, expected", [
    ("negative", [], 0.0, 0.5),                 # nothing applied: full marks
    ("negative", [-0.25], 0.0, 0.25),
    ("negative", [-0.25, -0.5], 0.0, 0.0),      # clipped at 0, never negative
    ("negative", [-0.25], 1.0, 0.5),            # clipped at the maximum
    ("negative", [-0.25], -0.125, 0.125),
    ("positive", [], 0.0, 0.0),                 # nothing applied: nothing earned
    ("positive", [0.25, 0.125], 0.0, 0.375),
    ("positive", [0.5, 0.5], 0.0, 0.5),         # clipped at the maximum
    ("positive", [0.25], -1.0, 0.0),
    ("positive", [-0.25], 0.0, 0.0),            # a penalty item in positive scoring
])
def test_score_starts_from_the_scoring_and_clips(scoring, points, adjust, expected):
    assert score(scoring, 0.5, points, adjust) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [True, "1", None, math.inf, math.nan, [1]])
def test_points_and_adjustments_are_finite_numbers(bad):
    with pytest.raises(ValueError):
        number(bad, "points")
    assert number(2, "points") == 2.0
