"""Where the time goes, stage by stage, from the timing the engine reports: per check, per
batch stage, per upload stage (tables of the report)."""
import statistics

UPLOAD_STAGES = ("archive", "load", "grade", "recorded", "gradebook", "reports", "feedback")


def md_table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(r) for r in rows])


def fmt(value, small=False):
    if value is None:
        return "-"
    return f"{value:.3f}" if small and value < 0.1 else f"{value:.2f}"


def short(student):
    return "solved notebook" if student.endswith("-solved") else \
        "API-only notebook (" + student.split("-", 2)[-1] + ")"


def batch_sums(figures, key):
    """Sums over the first run of a batch mode's reports (autograde's report.json timing)."""
    runs = [r for r in figures["modes"].get(key, {}).get("runs", []) if r.get("reports")]
    if not runs:
        return None
    reports = [r for r in runs[0]["reports"] if r.get("timing")]
    total = lambda f: sum(f(r) for r in reports)
    grading = lambda name: total(lambda r: r["timing"]["grading"].get(name, 0.0))
    sums = {"wall": runs[0]["seconds"], "gradings": len(reports),
            "grading": total(lambda r: r["duration_s"]), "load": grading("load"),
            "sandbox_start": grading("sandbox_start"), "graders": grading("graders"),
            "tests": total(lambda r: sum(r["timing"]["grading"].get("tests", {}).values())),
            "outside": grading("outside_student"),
            "gradebook": total(lambda r: r["timing"]["gradebook"]),
            "feedback": total(lambda r: r["timing"]["feedback"])}
    sums["ideal"] = sums["grading"] / 2 + sums["gradebook"] + sums["feedback"]
    return sums


def upload_medians(figures, key):
    """Medians over an upload mode's runs of its wall time and the stages its report gives."""
    runs = [r for r in figures["modes"].get(key, {}).get("runs", []) if r.get("timing")]
    if not runs:
        return None
    med = lambda f: statistics.median(f(r) for r in runs)
    found = {name: med(lambda r: r["timing"].get(name, 0.0))   # "recorded": since 2026-12-02
             for name in UPLOAD_STAGES + ("total",)}
    grading = lambda r: r["timing"]["grading"]
    found.update(wall=med(lambda r: r["seconds"]),
                 client=med(lambda r: r["seconds"] - r["timing"]["total"]),
                 duration=med(lambda r: r["duration_s"]),
                 sandbox_start=med(lambda r: grading(r).get("sandbox_start", 0.0)),
                 checks=med(lambda r: sum(grading(r).get("tests", {}).values())),
                 outside=med(lambda r: grading(r).get("outside_student", 0.0)))
    return found


def grading_table(figures):
    """One cold grading per single notebook (grade_probe.py): every stage and every check."""
    probes = figures["probe"]
    if not probes:
        return []
    tests = sorted({name for p in probes.values() for name in p["timing"].get("tests", {})})
    start = figures.get("start_s", {})
    bare, imports = (statistics.median(start[k]) if start.get(k) else None
                     for k in ("bare", "imports"))

    def column(p):
        t, checks = p["timing"], p["timing"].get("tests", {})
        cells = [bare, imports, t["load"], t.get("collection"), t["sandbox_start"],
                 t.get("student_load"), t.get("checks"), t.get("groups"),
                 t.get("student_calls"), sum(checks.values())]
        return cells + [checks.get(name) for name in tests] + \
            [t.get("outside_student"), p["duration_s"], p["seconds"]]

    labels = ["interpreter start (python -c pass)",
              "interpreter start + imports (python -c 'import gradekit.grading.run')",
              "load the submission: timing['load']",
              "pytest start, grader imports, expected values, while the sandbox starts: "
              "timing['collection']",
              "then waiting for the sandbox (start, running the cells): timing['sandbox_start']",
              "  of which running the cells: timing['student_load']",
              "the checks: timing['checks']", "  in groups at the same time: timing['groups']",
              "  the longest group's time in student calls: timing['student_calls']",
              "  sum over all checks: sum of timing['tests']"] + \
             [f"    {name}" for name in tests] + \
             ["outside the student's code: timing['outside_student']",
              "total inside grade_path: duration_s", "wall time of the probe process"]
    columns = [[c if isinstance(c, int) else fmt(c, small=True) for c in column(p)]
               for p in probes.values()]
    headers = ["stage (s)"] + [f"{short(s)}, {p['score']:g}/{p['max_score']:g} points"
                               for s, p in probes.items()]
    return ["Time breakdown of one cold grading (grade_probe.py runs grade_path like `gradekit "
            "grade`; the figures are the engine's GradingResult.timing):", "",
            md_table(headers, [[label] + [c[i] for c in columns] for i, label in enumerate(labels)])]


def batch_table(figures):
    found = {mode: batch_sums(figures, f"{mode}_batch") for mode in ("cold", "warm")}
    found = {mode: sums for mode, sums in found.items() if sums}
    if not found:
        return []
    labels = [("wall", "wall time"),
              ("gradebook", "gradebook writes, in the parent, one at a time"),
              ("feedback", "feedback pages (plots), in the parent, one at a time"),
              ("gradings", "gradings reported"),
              ("grading", "sum of grading times (duration_s, in the workers)"),
              ("load", "  of which loading the submissions"),
              ("graders", "  of which graders (from the sandbox's launch to the end)"),
              ("sandbox_start", "    of which waiting for the sandbox after collection "
                                "(start or fork, running the cells)"),
              ("tests", "    checks, summed (timing['tests']; groups run at the same time)"),
              ("outside", "  outside the student's code (timing['outside_student'])"),
              ("ideal", "sum/2 + parent's serial work (what 2 perfect jobs would take)")]
    cell = lambda v: str(v) if isinstance(v, int) else f"{v:.1f}"
    rows = [[label] + [cell(sums[name]) for sums in found.values()] for name, label in labels]
    return [f"Where the batch's time goes (`gradekit autograde --jobs 2`; sums over all "
            f"{figures['batch']['size']} submissions of the timing in autograded/*/report.json, "
            "seconds):", "", md_table(["batch stage (s)"] + [f"{m} batch" for m in found], rows)]


def upload_table(figures):
    keys = [f"upload_{mode}:{what}" for what in ("api", "stub") for mode in ("cold", "warm")] + \
        ["upload_warm:solved", "upload_warm_in_turn:solved", "upload_warm_always:solved"]
    found = {key: upload_medians(figures, key) for key in keys}
    found = {key: medians for key, medians in found.items() if medians}
    if not found:
        return []
    labels = [("archive", "archive, attempt log, policy (under the lock)"),
              ("load", "load, check and place in submitted/"), ("grade", "grade"),
              ("gradebook", "gradebook record"), ("reports", "report.json, results.json"),
              ("recorded", "attempt log, status graded (the report is shown)"),
              ("feedback", "feedback page (after the report is shown)"),
              ("total", "total inside upload() (warm: in the server)"),
              ("client", "process start, imports, printing (warm: client and socket)"),
              ("wall", "wall time"), ("duration", "grading (the report's duration_s)"),
              ("sandbox_start", "  of which waiting for the sandbox after collection"),
              ("checks", "  checks, summed (timing['tests']; groups run at the same time)"),
              ("outside", "  outside the student's code (timing['outside_student'])")]
    rows = [[label] + [fmt(m[name]) for m in found.values()] for name, label in labels]
    names = {"stub": " stub", "api": " API-only", "solved": " solved"}
    headers = ["upload stage (median s)"] + [
        key.split(":")[0].split("_", 1)[1].replace("_", " ") + names[key.split(":")[1]]
        for key in found]
    return ["Where an upload's time goes (`gradekit upload --json`: the stages of the report's "
            "timing):", "", md_table(headers, rows)]


def tables(figures):
    lines = []
    for table in (grading_table, batch_table, upload_table):
        found = table(figures)
        lines += found + ([""] if found else [])
    return lines[:-1] if lines else []
