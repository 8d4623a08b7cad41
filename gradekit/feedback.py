"""Feedback for one graded attempt: plots drawn on the trusted side, one self-contained HTML page.

The plots use only plain numbers the graders kept in `result.artifacts` (the student's trained
weights and loss history); no student code runs here.  Every student-controlled string that
reaches the page (test messages include what the student's code printed) is escaped.
"""
import base64
import html
import io
import logging
import types
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from .report import MARKS, visible_output

log = logging.getLogger(__name__)
DPI = 80
MAX_CURVE_POINTS = 2000   # a million-epoch loss list would make matplotlib crawl

# picture -> (artifact it is drawn from, nbgrader grade cell it belongs to, caption)
FIGURES = {
    "boundary_data_1": ("train_data_1", "test_train",
                        "Decision boundary on data_1: your trained 2-2-1 beside the reference "
                        "trained from the same start"),
    "losses_data_1": ("train_data_1", "test_train", "Your loss history on data_1"),
    "boundary_xor": ("train_xor", "test_xor", "Your own MLP (XOR_HIDDEN units) on XOR"),
}
MISSING = {
    "train_data_1": "the graders could not train your network on data_1 with your defaults "
                    "(is train implemented and returning (W1, w2, losses)?)",
    "train_xor": "the graders could not train your network on XOR with XOR_HIDDEN hidden units "
                 "(are XOR_HIDDEN, init_weights and train implemented?)",
}


def _load(path, name):
    """Run a course file as a module, leaving no __pycache__ beside it (source/ is released)."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(compile(Path(path).read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


@lru_cache(maxsize=4)
def _graders(graders_dir):
    """The graders' conftest as a module: its reference() and datasets() (trusted side only)."""
    return _load(Path(graders_dir) / "conftest.py", "gradekit_feedback_graders")


@lru_cache(maxsize=4)
def _plot_helpers(source_dir):
    """The course's own plotting helpers (ml06_utils.py), so the pictures match the notebook."""
    return _load(Path(source_dir) / "ml06_utils.py", "gradekit_feedback_ml06_utils")


@lru_cache(maxsize=16)
def _reference_run(graders_dir, seed):
    """The reference trained with its defaults on data_1 from init_weights(2, seed=seed)."""
    helpers = _graders(graders_dir)
    ref, (X, y) = helpers.reference(), helpers.datasets().band
    return ref.train(X, y, *ref.init_weights(2, seed=seed))


def _losses(values):
    """The student's loss list as a 1-D float array, NaN for junk (None when nothing is finite)."""
    try:
        losses = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    if not np.isfinite(losses).any():
        return None
    return np.where(np.isfinite(losses), losses, np.nan)


def _boundary(ax, kit, weights, X, y, title):
    W1, w2 = (np.asarray(weights[k], dtype=float) for k in ("W1", "w2"))
    accuracy = np.mean(kit.ref.predict(X, W1, w2) == y)
    kit.utils.plot_xy_2D_model(lambda grid: kit.ref.forward(grid, W1, w2)[1], X, y, ax=ax,
                               title=f"{title}: {accuracy:.0%} of the training points")


def _draw_boundary_data_1(figure, kit, artifact):
    W1, w2, _ = _reference_run(kit.graders_dir, int(artifact["seed"]))
    left, right = figure.subplots(1, 2)
    _boundary(left, kit, artifact, *kit.data.band, "your train")
    _boundary(right, kit, {"W1": W1, "w2": w2}, *kit.data.band, "reference")
    figure.set_size_inches(9, 3.8)
    return True


def _draw_losses_data_1(figure, kit, artifact):
    losses = _losses(artifact.get("losses"))
    if losses is None:
        return False
    reference = np.asarray(_reference_run(kit.graders_dir, int(artifact["seed"]))[2])
    ax = figure.subplots()
    for label, curve, style in (("your train", losses, "-"), ("reference", reference, "--")):
        step = max(1, len(curve) // MAX_CURVE_POINTS)
        ax.plot(np.arange(1, len(curve) + 1)[::step], curve[::step], style, label=label)
    if np.nanmin(losses) > 0:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss")
    ax.legend()
    figure.set_size_inches(5, 3.4)
    return True


def _draw_boundary_xor(figure, kit, artifact):
    hidden = np.shape(artifact["W1"])[0]
    _boundary(figure.subplots(), kit, artifact, *kit.data.xor, f"your MLP, {hidden} hidden")
    figure.set_size_inches(4.8, 3.8)
    return True


DRAW = {"boundary_data_1": _draw_boundary_data_1, "losses_data_1": _draw_losses_data_1,
        "boundary_xor": _draw_boundary_xor}


def _draw(name, artifact, course, assignment):
    """One picture as PNG bytes; None when the artifact holds nothing drawable."""
    from matplotlib.figure import Figure   # object API: no pyplot state in a grading process
    graders_dir = str(course.graders_dir(assignment))
    helpers = _graders(graders_dir)
    kit = types.SimpleNamespace(graders_dir=graders_dir, ref=helpers.reference(),
                                data=helpers.datasets(),
                                utils=_plot_helpers(str(course.source_dir(assignment))))
    figure = Figure()
    if not DRAW[name](figure, kit, artifact):
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def figures(result, course) -> dict:
    """PNG bytes per picture name (see FIGURES) from result.artifacts; missing ones skipped."""
    images = {}
    for name, (key, _, _) in FIGURES.items():
        artifact = result.artifacts.get(key)
        if not artifact:
            continue
        try:
            with warnings.catch_warnings():   # degenerate student weights: draw, don't warn
                warnings.simplefilter("ignore")
                png = _draw(name, artifact, course, result.assignment)
        except Exception:   # a picture is a bonus: never lose the grade over it
            log.warning("feedback picture %s could not be drawn", name, exc_info=True)
            continue
        if png:
            images[name] = png
    return images


def missing_reason(result, name):
    """Why picture `name` is not in the feedback (one sentence)."""
    key = FIGURES[name][0]
    if not result.artifacts.get(key):
        return MISSING[key]
    return "the numbers your code returned could not be drawn"


def data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


STYLE = """body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;
vertical-align:top;text-align:left}pre{white-space:pre-wrap;margin:0}
.passed{color:#070}.failed,.error,.timeout{color:#b00}img{max-width:100%}"""


def render_html(result, images) -> str:
    """A self-contained HTML page for one graded attempt (images inline as data: URIs)."""
    e = html.escape
    title = f"{result.assignment}: feedback"
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{e(title)}</h1>"]
    submission = result.submission or {}
    if result.status != "graded":
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
    parts.append("</table><h2>Pictures</h2>")
    for name, (_, _, caption) in FIGURES.items():
        parts.append(f"<h3>{e(caption)}</h3>")
        if name in images:
            parts.append(f"<img alt='{e(name)}' src='{data_uri(images[name])}'>")
        else:
            parts.append(f"<p>Not drawn: {e(missing_reason(result, name))}.</p>")
    return "".join(parts + ["</body></html>"])


def write_feedback(result, course, path) -> Path:
    """Draw the pictures and write the page to `path`; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = figures(result, course) if result.status == "graded" else {}
    path.write_text(render_html(result, images), encoding="utf-8")
    return path
