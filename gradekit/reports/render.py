"""Render a GradingResult: the pinned JSON, BRUTE-like text, Gradescope's results.json.

The rendering rules live here, once, for every output (text, JSON, feedback page, nbgrader):
`report_lines` writes a test's entry and `visible_output` is what a student may see of a
test's message.  This module imports nothing of gradekit, so the graders' plugin and the
result classes can use the rule too.
"""
import json

from ..attempts.states import Status

MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}
HIDDEN_LINE_CHARS = 200   # a hidden test shows at most this much of its message's first line
MESSAGE_INDENT = " " * 10   # a test's message, below its line


def visible_output(test) -> str:
    """What a student may see of a test's message: all of a visible test's, only the first
    line (at most HIDDEN_LINE_CHARS) of a hidden one's, nothing of a blank one."""
    if test.visibility != "hidden":
        return test.output
    return test.output.splitlines()[0][:HIDDEN_LINE_CHARS] if test.output.strip() else ""


def report_lines(test, *, indent="", message=True) -> list:
    """A test's entry in the BRUTE report and the nbgrader outputs: one line (mark, points,
    name, "(private)" when hidden), then, indented, what the student may see of its message."""
    tag = " (private)" if test.visibility == "hidden" else ""
    lines = [f"{indent}[{MARKS.get(test.status, test.status.upper()):7}] "
             f"{test.score:5.2f} / {test.max_score:4.2f}  {test.name}{tag}"]
    if message:
        lines += [indent + MESSAGE_INDENT + line for line in visible_output(test).splitlines()]
    return lines


def to_json_text(result) -> str:
    """Exactly one JSON object (the `gradekit grade --json` schema)."""
    return json.dumps(result.to_json(), indent=2, allow_nan=False)


def to_text(result) -> str:
    """A BRUTE-like report: the total first, then one line per test, then its message."""
    if result.status == Status.REJECTED:
        return f"{result.assignment}: upload rejected: {result.error}"
    lines = [f"{result.assignment}: {result.score:.2f} / {result.max_score:.2f} points",
             f"  file {result.submission.get('filename')} "
             f"(sha256 {result.submission.get('sha256', '')[:12]}), sandbox: {result.sandbox}"]
    if result.load:
        lines.append("  Parts of your file that failed to run (the rest was still graded):")
        lines += [f"    {item['unit']}: {item['error']}" for item in result.load]
    lines.append("")
    for test in result.tests:
        lines += report_lines(test, indent="  ", message=test.status != "passed")
    return "\n".join(lines)


def attempt_tail(number, archive, penalty=None, feedback_page=None) -> str:
    """What follows the BRUTE-like report of a recorded attempt: its number and archive, the
    late penalty (when any) and the feedback page (a path relative to the course, when drawn)."""
    text = f"\n\n  attempt {number}, archived as {archive}"
    if penalty:
        text += f"\n  late: {penalty:.2f} points off"
    if feedback_page:
        text += f"\n  feedback page: {feedback_page}"
    return text


def to_gradescope(result) -> dict:
    """Gradescope autograder results.json: hidden tests become visibility 'after_published'."""
    return {
        "score": result.score,
        "execution_time": round(result.duration_s, 3),
        "output": (f"Sandbox: {result.sandbox}" if result.status == Status.GRADED
                   else f"Rejected: {result.error}"),
        "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score,
                   "status": "passed" if t.status == "passed" else "failed",
                   "output": visible_output(t),
                   "visibility": "visible" if t.visibility == "visible" else "after_published"}
                  for t in result.tests],
    }
