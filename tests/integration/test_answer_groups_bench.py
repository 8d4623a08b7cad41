"""benchmarks/answer_groups.py: the generated class groups as docs/performance.md says."""
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_generated_class_groups_by_phrasing_in_few_actions():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import answer_groups
    finally:
        sys.path.remove(str(BENCHMARKS))
    answers, phrasing = answer_groups.generate_class(60, 0)
    assert len(answers) == 60 and len(set(phrasing.values())) == 7
    found = answer_groups.measure(answers, phrasing)
    assert found["ari"] >= 0.85 and found["actions_per_answer"] <= 0.2
    blank = found["found"][0]
    assert blank.number == 0 and {phrasing[m] for m in blank.members} == {"blank"}
