"""The instructor's plots: the score histogram, each test's pass rate and the similarity of
every pair of students (matplotlib, SVG)."""
import base64
import io


def _svg_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_histogram(scores, max_score) -> str | None:
    """scores: counted points per student; a data: URI of the histogram, None without data."""
    if not scores:
        return None
    from matplotlib.figure import Figure   # no pyplot: no global state in a threaded server
    figure = Figure(figsize=(6, 2.6))
    axes = figure.subplots()
    top = max_score or max(scores) or 1.0
    axes.hist(scores, bins=min(20, max(5, int(top))), range=(0, top), color="#3b6ea5",
              edgecolor="white")
    axes.set_xlabel("counted points")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg_uri(figure)


def pass_rate_chart(rates) -> str | None:
    """rates: [(test name, fraction passed)]; a data: URI of a horizontal bar chart."""
    if not rates:
        return None
    from matplotlib.figure import Figure
    figure = Figure(figsize=(6, 0.3 * len(rates) + 0.8))
    axes = figure.subplots()
    names = [name for name, _ in rates][::-1]
    values = [100 * rate for _, rate in rates][::-1]
    axes.barh(names, values, color=["#2e7d32" if v >= 50 else "#c62828" for v in values])
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of counted attempts that pass")
    axes.tick_params(axis="y", labelsize=7)
    return _svg_uri(figure)


def similarity_histogram(scores, threshold) -> str | None:
    """scores: (P,) every pair's similarity in [0, 1]; a data: URI of their histogram (log
    count axis: the class's honest pairs are many, copies few), the score from which pairs
    form clusters marked; None without pairs."""
    if len(scores) == 0:
        return None
    from matplotlib.figure import Figure
    figure = Figure(figsize=(6, 2.6))
    axes = figure.subplots()
    axes.hist(scores, bins=40, range=(0, 1), color="#3b6ea5", edgecolor="white", log=True)
    axes.axvline(threshold, color="#b00020", linestyle="--", linewidth=1)
    axes.text(threshold, 0.95, " clusters", color="#b00020", fontsize=8, va="top",
              transform=axes.get_xaxis_transform())
    axes.set_xlim(0, 1)
    axes.set_xlabel("similarity of a pair")
    axes.set_ylabel("pairs")
    return _svg_uri(figure)
