"""Text and JSON renderings of an audit report (the dict built by gradekit.audit.run_audit)."""
import json

NAME_WIDTH = 44


def to_json_text(report):
    """The whole report as exactly one JSON object."""
    return json.dumps(report, indent=1, sort_keys=False)


def _legend(cells):
    names = [c.removeprefix("test_") for c in cells]
    return "Grade cells: " + "  ".join(f"{i + 1} {n}" for i, n in enumerate(names))


def _header(cells, width):
    return " " * NAME_WIDTH + "".join(f"{i + 1:>{width}}" for i in range(len(cells)))


def _name(text):
    return text if len(text) < NAME_WIDTH else text[:NAME_WIDTH - 2] + "~"


def _matrix_row(name, marks, width, verdict):
    return f"{_name(name):<{NAME_WIDTH}}" + "".join(f"{m:>{width}}" for m in marks) + \
        f"   {verdict}"


def _score(row):
    if row["status"] != "graded":
        return f"not graded ({row['status']}: {row['error']})"
    return f"{row['score']:g} / {row['max_score']:g}"


def _changed_lines(diff):
    """The -/+ lines of a one-edit diff, for compact listings."""
    return [line.rstrip("\n") for line in diff.splitlines()
            if line[:1] in "-+" and not line.startswith(("---", "+++"))]


def _library(report, cells):
    lines = ["", "Annotated mutants (graders/%s/mutants): K = the cell lost points, . = it kept "
             "them, [ ] = annotated must-fail" % report["assignment"], _header(cells, 5)]
    for row in report["mutants"]:
        marks = [("[%s]" if c in row.get("must_fail", ()) else " %s ")
                 % row.get("cells", {}).get(c, "?") for c in cells]
        verdict = "ok" if row["ok"] else (
            "SURVIVED " + ", ".join(c.removeprefix("test_") for c in row.get("survived", ()))
            if row["status"] == "graded" else "NOT GRADED")
        lines.append(_matrix_row(row["file"].removeprefix("mutants/"), marks, 5, verdict))
    lines += ["", "Honest variants (graders/%s/variants): ok = full points, FAIL = lost points"
              % report["assignment"], _header(cells, 5)]
    for row in report["variants"]:
        marks = [row.get("cells", {}).get(c, "?") for c in cells]
        verdict = "ok" if row["ok"] else ("WRONGLY FAILED" if row["status"] == "graded"
                                          else "NOT GRADED")
        lines.append(_matrix_row(row["file"].removeprefix("variants/"), marks, 5, verdict))
    return lines


def _generated(report, cells):
    gen = report["generated"]
    subset = (" (--only)" if gen["only"] else "") + \
        (" (--quick: every 4th)" if gen["quick"] and not gen["only"] else "") + \
        (f" (limit {gen['limit']})" if gen["limit"] is not None and not gen["only"] else "")
    lines = ["", f"Generated mutants of {report['reference']['file']}: {gen['selected']} of "
             f"{gen['total']}{subset}; K = the cell lost points, . = it kept them",
             _header(cells, 4)]
    for row in gen["mutants"]:
        marks = [row["cells"].get(c, "?") for c in cells]
        verdict = {"survived": "SURVIVED"}.get(row["status"], row["status"])
        lines.append(_matrix_row(row["id"], marks, 4, verdict))
    return lines


def _summary(report):
    gen, lib = report["generated"], report["library"]
    score = gen["mutation_score"]
    lines = ["", "Mutation score (generated): " + (
        f"{gen['killed']} killed / {gen['non_equivalent']} non-equivalent = {score:.1%}"
        if score is not None else "no non-equivalent mutant graded") +
        f"   (excepted: {gen['equivalent']} equivalent; {gen['error']} not graded)",
        f"Annotated library: {lib['mutants_killed']} / {lib['mutants']} mutants lose points "
        f"in every must-fail cell; {lib['variants_ok']} / {lib['variants']} variants get "
        "full points"]
    survivors = [r for r in gen["mutants"] if r["status"] == "survived"]
    if survivors:
        lines += ["", "Surviving generated mutants (they behave differently from the reference "
                  "on the probe battery, and the graders give them full points):"]
        for row in survivors:
            lines.append(f"  {row['id']}   (probe: {row['probe']})")
            lines += ["    " + line for line in row["diff"].rstrip("\n").splitlines()]
    equivalent = [r for r in gen["mutants"] if r["status"] == "equivalent"]
    if equivalent:
        lines += ["", "Excepted: equivalent (probably: outputs identical to the reference's on "
                  "every API function of the probe battery):"]
        for row in equivalent:
            lines.append(f"  {row['id']}")
            lines += ["      " + line for line in _changed_lines(row["diff"])]
    return lines


def to_text(report):
    """A report for the terminal: scores, the two matrices, mutation score, survivors, verdict."""
    cells = report["cells"]
    ref, stub = report["reference"], report["release_stub"]
    lines = [f"gradekit audit {report['assignment']}: {report['gradings']} gradings on "
             f"{report['jobs']} jobs in {report['duration_s']:g} s; sandbox: {report['sandbox']}",
             "",
             f"{'Reference ' + ref['file']:<{NAME_WIDTH}}{_score(ref):>14}   "
             + ("ok (full marks)" if ref["ok"] else "LOSES POINTS"),
             f"{'Release stub ' + stub['file']:<{NAME_WIDTH}}{_score(stub):>14}   "
             + ("ok (no autograded check gains a point)" if stub["ok"] else "GAINS POINTS"),
             "", _legend(cells)]
    lines += _library(report, cells) + _generated(report, cells) + _summary(report)
    lines.append("")
    if report["passed"]:
        lines.append("Audit PASSED" + (" (--strict)" if report["strict"] else ""))
    else:
        lines.append("Audit FAILED:")
        lines += [f"  - {problem}" for problem in report["problems"]]
    return "\n".join(lines)
