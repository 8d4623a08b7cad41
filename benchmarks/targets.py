"""The speed targets (checks at the same time, a lean cold path), met or missed by how
much, and the figures that choose the policy for parallel checks (report.py prints them)."""
import statistics

from stages import short

import report as base


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _grading(run):
    return run.get("timing", {}).get("grading", {})


def _outside(figures, key):
    """Median of the engine's outside_student over a warm mode's gradings."""
    found = []
    for run in figures["modes"].get(key, {}).get("runs", []):
        found += [r["timing"]["grading"].get("outside_student") for r in run.get("reports", [])
                  if r.get("timing")]
        if run.get("timing"):
            found.append(_grading(run).get("outside_student"))
    return _median(found)


def _by(value, limit, higher_is_better=False):
    ok = value >= limit if higher_is_better else value <= limit
    return "PASS" if ok else "MISS"


def cold_lines(figures):
    lines = []
    for student in figures["single"]:
        kind = "solved" if student.endswith("-solved") else "api"
        cold = base.median(base.seconds(figures, f"cold_one:{student}"))
        stock = base.median(base.seconds(figures, f"stock_one:{student}"))
        if cold and stock:
            want = base.TARGET_COLD_SPEEDUP[kind]
            lines.append(f"- {_by(stock / cold, want, True)}: cold `gradekit grade`, "
                         f"{short(student)}: {stock / cold:.2f}x faster than stock ({cold:.2f} s "
                         f"vs {stock:.2f} s), {want:g}x wanted: limit {stock / want:.2f} s, "
                         f"{'under' if cold <= stock / want else 'over'} it by "
                         f"{abs(cold - stock / want):.2f} s")
    return lines


def upload_line(figures):
    runs = [r for r in figures["modes"].get("upload_warm:solved", {}).get("runs", [])
            if r.get("timing")]
    if not runs:
        return []
    wall = _median(r["seconds"] for r in runs)
    longest = _median(max(_grading(r).get("tests", {}).values(), default=0.0) for r in runs)
    limit = longest + base.TARGET_UPLOAD_OVER_LONGEST_S
    return [f"- {_by(wall, limit)}: warm `gradekit upload` of the solved notebook, upload to "
            f"report: {wall:.2f} s; its longest check {longest:.2f} s, so the limit is "
            f"{limit:.2f} s ({'under' if wall <= limit else 'over'} by {abs(wall - limit):.2f} s;"
            f" {wall - longest:.2f} s beyond the longest check)"]


def batch_lines(figures):
    lines = []
    for key, what in (("warm_batch", "the engine's policy"),
                      ("warm_batch_in_turn", "checks in turn"),
                      ("warm_batch_always", "always 2 groups of checks")):
        mode = figures["modes"].get(key)
        mine = base.median(base.seconds(figures, key))
        if mode and mine:
            per = mine / mode["items"]
            lines.append(f"- {_by(per, base.TARGET_BATCH_S_PER_NOTEBOOK)}: warm batch of "
                         f"{mode['items']} with --jobs 2, {what}: {per:.2f} s / notebook "
                         f"({mine:.1f} s), at most {base.TARGET_BATCH_S_PER_NOTEBOOK:g} wanted")
    return lines


def overhead_lines(figures):
    lines = []
    for key, what in (("warm_batch", "warm batch"), ("upload_warm:stub", "warm upload, stub"),
                      ("upload_warm:solved", "warm upload, solved notebook")):
        outside = _outside(figures, key)
        if outside is not None:
            lines.append(f"- {_by(outside, base.TARGET_OUTSIDE_STUDENT_S)}: warm overhead outside "
                         f"the student's code, {what}: median {outside * 1000:.0f} ms per grading "
                         f"(engine timing: duration_s - student_load - student_calls), at most "
                         f"{base.TARGET_OUTSIDE_STUDENT_S * 1000:.0f} ms wanted")
    return lines


def policy_lines(figures):
    """The engine's policy, checks in turn and always in two groups, under a full batch and
    for one upload (three servers on the same course, one after the other)."""
    rows = [("warm_batch{}", "warm batch of {n}, s / notebook"),
            ("upload_warm{}:solved", "warm upload of the solved notebook, s")]
    lines = []
    for key, what in rows:
        found = {name: base.median(base.seconds(figures, key.format(tail)))
                 for name, tail in (("policy", ""), ("in turn", "_in_turn"),
                                    ("always 2 groups", "_always"))}
        if all(found.values()):
            items = figures["modes"][key.format("")]["items"]
            lines.append(f"- {what.format(n=items)}: " + ", ".join(
                f"{name} {value / items:.2f}" for name, value in found.items()))
    return ["Policy for parallel checks (the same course and submissions; servers started "
            "with GRADEKIT_CHECK_SLOTS unset, =1, =2):"] + lines if lines else []


def target_lines(figures):
    """The speed targets (cold, upload, batch, overhead) and the parallel-checks policy."""
    lines = ["Targets:"]
    for part in (cold_lines, upload_line, batch_lines, overhead_lines):
        lines += part(figures)
    policy = policy_lines(figures)
    return lines + ([""] + policy if policy else [])
