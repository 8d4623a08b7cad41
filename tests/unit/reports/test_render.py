"""The rendering rules: one report line, one hidden-output rule, everywhere."""
import json

import pytest

from gradekit.reports import render as report
from gradekit.reports.feedback import render_html
from gradekit.grading import results

pytestmark = pytest.mark.smoke

SECRET = "expected 0.731 at X[3]"


def result():
    tests = [results.TestResult("test_forward::test_two", 0.25, 0.5, "failed", "visible",
                        "Z is wrong\n--- your code printed ---\nhello", "test_forward"),
             results.TestResult("test_forward::test_five", 0.0, 0.5, "failed", "hidden",
                        "forward with H=5 is wrong\n" + SECRET, "test_forward"),
             results.TestResult("test_loss::test_mean", 1.0, 1.0, "passed", "hidden", "", "test_loss")]
    return results.GradingResult("ML06", "graded", score=1.25, max_score=2.0, tests=tests,
                         submission={"filename": "a.py", "sha256": "ab" * 32}, sandbox="test")


def test_report_lines_are_pinned():
    visible, hidden, passed = result().tests
    assert report.report_lines(visible) == [
        "[FAIL   ]  0.25 / 0.50  test_forward::test_two",
        "          Z is wrong", "          --- your code printed ---", "          hello"]
    assert report.report_lines(hidden, indent="  ") == [
        "  [FAIL   ]  0.00 / 0.50  test_forward::test_five (private)",
        "            forward with H=5 is wrong"]
    assert report.report_lines(passed, message=False) == [
        "[PASS   ]  1.00 / 1.00  test_loss::test_mean (private)"]


def test_hidden_rule():
    hidden = results.TestResult("t", 0.0, 1.0, "failed", "hidden", "x" * 300 + "\nmore")
    assert report.visible_output(hidden) == "x" * report.HIDDEN_LINE_CHARS
    hidden.output = " \n \n"
    assert report.visible_output(hidden) == ""
    visible = results.TestResult("t", 0.0, 1.0, "failed", "visible", "a\nb")
    assert report.visible_output(visible) == "a\nb"


def test_every_output_shows_one_line_of_a_hidden_test():
    graded = result()
    outputs = {"text": report.to_text(graded), "json": report.to_json_text(graded),
               "gradescope": json.dumps(report.to_gradescope(graded)),
               "html": render_html(graded, {})}
    for name, text in outputs.items():
        assert "forward with H=5 is wrong" in text and SECRET not in text, name
    assert "  [FAIL   ]  0.00 / 0.50  test_forward::test_five (private)\n" \
           "            forward with H=5 is wrong\n" in outputs["text"]
