"""Feedback for one graded attempt: one self-contained HTML page, with the assignment's pictures.

The pictures are the assignment's own, from its hook graders/<A>/feedback.py:

    FIGURES = [(name, grade_cell, caption), ...]
    def draw(name, figure, artifacts, course_root):
        '''Draw into the matplotlib Figure; None when drawn, else why not (a sentence).'''

(gradekit/manual/plots.py reads more of the same hook for grading plots by question.)

They are drawn on the trusted side from the plain numbers the graders kept in
`result.artifacts`; no student code runs here.  An assignment without the hook gets a page
without pictures.  Every student-controlled string that reaches the page is escaped.
"""
import base64
import html
import io
import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..attempts.states import Status
from .render import MARKS, visible_output
from ..course.settings import load_hook
from ..attempts.storage import write_replace

log = logging.getLogger("gradekit.feedback")   # the name operators filter the logs by
DPI = 80
HOOK = "feedback.py"


@dataclass(frozen=True)
class Picture:
    """One picture of the feedback: PNG bytes, or why it could not be drawn."""

    name: str
    cell: str          # the nbgrader grade cell it belongs to
    caption: str
    png: bytes | None
    missing: str = ""  # one sentence, when png is None


@lru_cache(maxsize=16)
def _hook(path):
    """The assignment's feedback hook as a module (run by path: graders/ is no package)."""
    if not Path(path).is_file():
        return None
    return load_hook(path, f"gradekit_feedback_hook_{abs(hash(path))}")


def hook(course, assignment):
    """graders/<A>/feedback.py as a module, or None."""
    return _hook(str(course.graders_dir(assignment) / HOOK))


def _png(module, name, artifacts, course):
    """(PNG bytes, None) or (None, why not) for one picture."""
    from matplotlib.figure import Figure   # object API: no pyplot state in a grading process
    figure = Figure()
    with warnings.catch_warnings():        # degenerate student weights: draw, don't warn
        warnings.simplefilter("ignore")
        why = module.draw(name, figure, artifacts, str(course.root))
        if why:
            return None, str(why)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue(), None


def pictures(result, course) -> list:
    """The assignment's pictures for this result, in its FIGURES order."""
    module = hook(course, result.assignment)
    return draw_figures(module, getattr(module, "FIGURES", ()), result.artifacts, course)


def draw_figures(module, figures, artifacts, course) -> list:
    """[Picture] of `figures` [(name, cell, caption)], drawn by the hook `module` from the
    graders' `artifacts`, in that order."""
    drawn = []
    for name, cell, caption in figures:
        try:
            png, why = _png(module, name, artifacts, course)
        except Exception:   # a picture is a bonus: never lose the grade over it
            log.warning("feedback picture %s could not be drawn", name, exc_info=True)
            png, why = None, "the numbers your code returned could not be drawn"
        drawn.append(Picture(name, cell, caption, png, why or ""))
    return drawn


def data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


STYLE = """body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;
vertical-align:top;text-align:left}pre{white-space:pre-wrap;margin:0}
.passed{color:#070}.failed,.error,.timeout{color:#b00}img{max-width:100%}"""


def render_html(result, drawn=()) -> str:
    """A self-contained HTML page for one graded attempt (images inline as data: URIs)."""
    e = html.escape
    title = f"{result.assignment}: feedback"
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{e(title)}</h1>"]
    submission = result.submission or {}
    if result.status != Status.GRADED:
        parts.append(f"<p class='error'>Your upload could not be graded: {e(result.error)}</p>")
        return "".join(parts + ["</body></html>"])
    parts.append(f"<p><b>Score: {result.score:.2f} / {result.max_score:.2f} points</b><br>"
                 f"file {e(str(submission.get('filename', '')))} "
                 f"(sha256 {e(str(submission.get('sha256', ''))[:12])}), "
                 f"sandbox: {e(result.sandbox)}</p>")
    if result.load:
        parts.append("<h2>Parts of your file that failed to run</h2>"
                     "<p>Everything defined elsewhere was still graded.</p><ul>")
        parts += [f"<li>{e(item['unit'])}: <code>{e(item['error'])}</code></li>"
                  for item in result.load]
        parts.append("</ul>")
    parts.append("<h2>Checks</h2><table><tr><th>check</th><th>result</th><th>points</th>"
                 "<th>message</th></tr>")
    for test in result.tests:
        name = test.name + (" (private)" if test.visibility == "hidden" else "")
        parts.append(f"<tr><td>{e(name)}</td><td class='{e(test.status)}'>"
                     f"{e(MARKS.get(test.status, test.status.upper()))}</td>"
                     f"<td>{test.score:.2f} / {test.max_score:.2f}</td>"
                     f"<td><pre>{e(visible_output(test))}</pre></td></tr>")
    parts.append("</table>")
    if drawn:
        parts.append("<h2 id='pictures'>Pictures</h2>")
    for picture in drawn:
        parts.append(f"<h3>{e(picture.caption)}</h3>")
        if picture.png:
            parts.append(f"<img alt='{e(picture.name)}' src='{data_uri(picture.png)}'>")
        else:
            parts.append(f"<p>Not drawn: {e(picture.missing)}.</p>")
    return "".join(parts + ["</body></html>"])


def write_feedback(result, course, path) -> Path:
    """Draw the pictures and write the page to `path`; returns the path."""
    path = Path(path)
    drawn = pictures(result, course) if result.status == Status.GRADED else []
    write_replace(path, render_html(result, drawn))   # a reader never sees half a page
    return path
