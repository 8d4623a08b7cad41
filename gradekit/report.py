"""Render a GradingResult: the pinned JSON, BRUTE-like text, Gradescope's results.json."""
import json

from .grading.results import GradingResult

MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}


def visible_output(test):
    """What a student may see of a test: all of a visible one, one line of a hidden one."""
    if test.visibility == "hidden":
        return test.output.splitlines()[0] if test.output.strip() else ""
    return test.output


def to_json_text(result: GradingResult) -> str:
    """Exactly one JSON object (the `gradekit grade --json` schema)."""
    return json.dumps(result.to_json(), indent=2, allow_nan=False)


def to_text(result: GradingResult) -> str:
    """A BRUTE-like report: the total first, then one line per test, then its message."""
    if result.status == "rejected":
        return f"{result.assignment}: upload rejected: {result.error}"
    lines = [f"{result.assignment}: {result.score:.2f} / {result.max_score:.2f} points",
             f"  file {result.submission.get('filename')} "
             f"(sha256 {result.submission.get('sha256', '')[:12]}), sandbox: {result.sandbox}"]
    if result.load:
        lines.append("  Parts of your file that failed to run (the rest was still graded):")
        lines += [f"    {item['unit']}: {item['error']}" for item in result.load]
    lines.append("")
    for test in result.tests:
        tag = " (private)" if test.visibility == "hidden" else ""
        lines.append(f"  [{MARKS.get(test.status, test.status.upper()):7}] "
                     f"{test.score:5.2f} / {test.max_score:4.2f}  {test.name}{tag}")
        if test.output and test.status != "passed":
            lines += [f"            {line}" for line in test.output.splitlines()]
    return "\n".join(lines)


def to_gradescope(result: GradingResult) -> dict:
    """Gradescope autograder results.json: hidden tests become visibility 'after_published'."""
    return {
        "score": result.score,
        "execution_time": round(result.duration_s, 3),
        "output": (f"Sandbox: {result.sandbox}" if result.status == "graded"
                   else f"Rejected: {result.error}"),
        "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score,
                   "status": "passed" if t.status == "passed" else "failed",
                   "output": t.output,
                   "visibility": "visible" if t.visibility == "visible" else "after_published"}
                  for t in result.tests],
    }
