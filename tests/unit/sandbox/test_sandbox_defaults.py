"""A Sandbox made without time limits uses the course's defaults (course.settings.TimeLimits)."""
from gradekit.course.settings import TimeLimits
from gradekit.sandbox.client import Sandbox


def test_default_time_limits_are_the_course_defaults():
    box = Sandbox([("unit", "x = 1")])   # not started: __init__ only stores its arguments
    limits = TimeLimits()
    assert (box.call_timeout, box.load_timeout, box.budget_s) == \
        (limits.call_s, limits.load_s, limits.budget_s)
    assert {"call_timeout": box.call_timeout, "load_timeout": box.load_timeout,
            "budget_s": box.budget_s} == limits.sandbox_keywords()
