"""Render measure.py's JSON as docs/performance.md's tables: the table, where the time goes,
the first speed targets.

    python benchmarks/report.py FIGURES.json
"""
import json
import statistics
import sys
from pathlib import Path

import stages
from stages import md_table, short

HEADERS = ["mode", "n", "median s", "min s", "max s", "s / notebook", "vs stock",
           "largest RSS MB", "note"]
TARGET_COLD_FRACTION = 1 / 3      # cold `gradekit grade` <= 1/3 of stock, one notebook
TARGET_WARM_OVERHEAD_S = 0.3
TARGET_BATCH_SPEEDUP = 6.0        # --jobs 2 batch throughput >= 6x stock
TARGET_SANDBOX_MB = 400
# the later targets: checks at the same time, a lean cold path
TARGET_COLD_SPEEDUP = {"api": 3.0, "solved": 4.0}   # cold `gradekit grade` vs stock, one notebook
TARGET_UPLOAD_OVER_LONGEST_S = 0.15   # warm upload of the solved notebook - its longest check
TARGET_BATCH_S_PER_NOTEBOOK = 2.2     # warm batch of 40, --jobs 2 (the throughput before)
TARGET_OUTSIDE_STUDENT_S = 0.05       # warm: a grading's time outside the student's code
NOT_AVAILABLE = "warm mode: not available"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def seconds(figures, key):
    """Wall seconds of every run of a mode."""
    return [r["seconds"] for r in figures["modes"].get(key, {}).get("runs", [])]


def row_specs(figures):
    """(mode key, label, key of the stock mode it is compared with, note), in the docs' order."""
    n, api = figures["batch"]["size"], figures["single"][-1]
    specs = []
    for s in figures["single"]:
        specs += [(f"stock_one:{s}", f"(a)(i) stock nbgrader, 1 notebook: {short(s)}", None, ""),
                  (f"cold_one:{s}", f"(b) gradekit grade (cold), 1 notebook: {short(s)}",
                   f"stock_one:{s}", "")]
    one = f"stock_one:{api}"
    return specs + [
        ("stock_batch", f"(a)(ii) stock nbgrader, batch of {n} (one process, in turn)", None, ""),
        ("cold_batch", f"(c) gradekit autograde --jobs 2, batch of {n}", "stock_batch",
         "throughput ratio"),
        ("serve_start", "(d) gradekit serve --workers 2: start until ready", None,
         "once per session; RSS n/a"),
        ("warm_batch", f"(d) gradekit autograde --jobs 2, batch of {n}, warm", "stock_batch",
         "throughput ratio; client process"),
        ("upload_cold:api", f"(d) gradekit upload, cold: {short(api)}", one, ""),
        ("upload_warm:api", f"(d) gradekit upload, warm: {short(api)}", one, "client process"),
        ("upload_cold:stub", "(d) gradekit upload, cold: release stub", one, "overhead estimate"),
        ("upload_warm:stub", "(d) gradekit upload, warm: release stub", one,
         "overhead estimate, client process"),
        ("upload_warm:solved", f"(d) gradekit upload, warm: {short(figures['single'][0])}",
         f"stock_one:{figures['single'][0]}", "client process"),
        ("warm_batch_in_turn", f"(e) as (d), checks in turn: autograde --jobs 2, batch of {n}",
         "stock_batch", "GRADEKIT_CHECK_SLOTS=1"),
        ("upload_warm_in_turn:solved", f"(e) as (d), checks in turn: upload, "
         f"{short(figures['single'][0])}", f"stock_one:{figures['single'][0]}",
         "GRADEKIT_CHECK_SLOTS=1"),
        ("warm_batch_always", f"(f) as (d), always 2 groups: autograde --jobs 2, batch of {n}",
         "stock_batch", "GRADEKIT_CHECK_SLOTS=2"),
        ("upload_warm_always:solved", f"(f) as (d), always 2 groups: upload, "
         f"{short(figures['single'][0])}", f"stock_one:{figures['single'][0]}",
         "GRADEKIT_CHECK_SLOTS=2")]


def row(figures, key, label, stock, note):
    mode = figures["modes"].get(key)
    if not mode or not mode["runs"]:
        return [label, "0", "-", "-", "-", "-", "-", "-",
                NOT_AVAILABLE if figures["warm"]["reason"] else note]
    times, runs = seconds(figures, key), mode["runs"]
    base = median(seconds(figures, stock)) if stock else None
    ratio = f"{base / median(times):.2f}x" if base and median(times) else "-"
    rss = max((r["maxrss_mb"] or 0) for r in runs)
    failed = [r["code"] for r in runs if r["code"] != 0]
    note += f" FAILED rc={failed[0]}" if failed else ""
    return [label, str(len(times)), f"{median(times):.2f}", f"{min(times):.2f}",
            f"{max(times):.2f}", f"{median(times) / mode['items']:.2f}", ratio,
            f"{rss:.0f}" if rss else "-", note.strip()]


def header_lines(figures):
    info, loads = figures["machine"], figures["load"]["samples"] or [figures["load"]["end"]]
    busy = max(loads) > (info["nproc"] or 1)
    kinds = ", ".join(f"{count} {kind}" for kind, count in figures["batch"]["kinds"].items())
    return [
        "# gradekit grading speed", "", f"- date: {info['date']}",
        f"- machine: {info['nproc']} cores, {info['cpu']}, Linux {info['kernel']}, Python "
        f"{info['python']}; nbgrader {figures['nbgrader']} stock = its default preprocessors "
        "(Execute runs the notebook in a Jupyter kernel)",
        f"- load average (1 min) during the run: start {loads[0]:.2f}, mean "
        f"{statistics.mean(loads):.2f}, max {max(loads):.2f}, end {figures['load']['end']:.2f} "
        f"on {info['nproc']} cores" + (" -- BUSY machine (other jobs running): absolute times "
                                       "are inflated" if busy else ""),
        f"- mode: {'--quick' if figures['quick'] else 'full'}; batch of "
        f"{figures['batch']['size']}: {kinds}; {figures['reps']} repetition(s) of each "
        "single-notebook mode and upload",
        "- vs stock: stock median / this median (single notebooks and uploads: against stock on "
        "the same notebook; batches: throughput ratio on the same submissions)",
        "- largest RSS: wait4's ru_maxrss, the largest single process of the command's tree "
        "(stock: the Jupyter kernel; warm rows: the client only); commands are started by a "
        f"helper of {figures['spawner_mb']:.0f} MB, the floor of this column"]


def time_lines(figures):
    """'Where the time goes': one cold grading, the batches, a warm upload of the stub."""
    lines = ["Where the time goes (same run):", ""]
    api = figures["single"][-1]
    probe = figures["probe"].get(api)
    if probe:
        t, tests = probe["timing"], probe["timing"].get("tests", {})
        checks = sum(tests.values())
        top = sorted(tests.items(), key=lambda item: -item[1])[:2]
        lines.append(
            f"- cold grading of the {short(api)}, {probe['duration_s']:.1f} s inside `grade_path` "
            f"plus {probe['seconds'] - probe['duration_s']:.1f} s of process start, imports and "
            f"exit: loading and validating the notebook {t['load']:.2f} s, pytest collection, "
            f"grader imports and expected values {t.get('collection', 0):.2f} s while the "
            f"sandbox starts, then waiting for the sandbox {t['sandbox_start']:.2f} s (of which "
            f"running the cells {t.get('student_load', 0):.2f} s), the checks "
            f"{t.get('checks', checks):.2f} s in {t.get('groups', 1)} group(s) at the same time "
            f"(summed {checks:.2f} s, the longest group's student calls "
            f"{t.get('student_calls', 0):.2f} s), of which "
            + " and ".join(f"{s:.2f} s `{name}`" for name, s in top) + ".")
    sums = {key: stages.batch_sums(figures, key) for key in ("cold_batch", "warm_batch")}
    parts = [f"{s['grading']:.0f} s {mode} (sandbox {'forks' if mode == 'warm' else 'starts'} "
             f"{s['sandbox_start']:.0f} s, checks {s['tests']:.0f} s)"
             for mode, s in (("cold", sums["cold_batch"]), ("warm", sums["warm_batch"])) if s]
    if parts:
        spread = lambda name: "–".join(sorted({f"{s[name]:.0f}" for s in sums.values() if s},
                                              key=float))
        lines.append(f"- batch of {figures['batch']['size']}: the gradings sum to "
                     + " and ".join(parts) + f"; the `autograde` parent also spends "
                     f"{spread('feedback')} s on feedback pages and {spread('gradebook')} s on "
                     f"gradebook writes, one at a time, on the same {figures['machine']['nproc']} "
                     "cores.")
    stub = stages.upload_medians(figures, "upload_warm:stub")
    if stub:
        lines.append(f"- warm upload of the stub, {stub['wall']:.2f} s: the client process (and "
                     f"the socket) {stub['client']:.2f} s, the server {stub['total']:.2f} s, of "
                     f"which grading {stub['grade']:.2f} s and archive, gradebook write and "
                     "reports the rest.")
    return lines


def memory_lines(figures):
    lines = ["Memory of one sandboxed grading (cold, `gradekit grade`'s grade_path):"]
    for student, probe in figures["probe"].items():
        parts = ", ".join(f"{name} {mb:.0f}" for name, mb in probe["sandbox_processes"])
        lines.append(f"- {short(student)}: peak sandbox memory {probe['sandbox_mb']:.0f} MB = sum "
                     f"of VmHWM over the sandbox's processes, sampled from /proc while it graded "
                     f"(MB each: {parts}); trusted grading process {probe['trusted_mb']:.0f} MB "
                     f"max RSS (RUSAGE_SELF); sandbox level: {probe['sandbox']}")
    server = figures["warm"]["server_processes"]
    if server:
        lines.append(f"- warm server (`serve --workers 2`) after the warm runs: {len(server)} "
                     f"processes, {sum(rss for _, rss, _ in server):.0f} MB RSS in all (shared "
                     "pages counted in each process)")
    for name, found in figures.get("scores", {}).items():
        values = list(found.values())
        lines.append(f"- scores in the batch's gradebook, {name}: " + (
            f"{len(values)} graded, mean {statistics.mean(g for g, _ in values):.2f} of "
            f"{max(m for _, m in values):g} points" if values else "none"))
    return lines


def target_lines(figures):
    lines, verdict = ["First targets (for comparison):"], lambda ok: "PASS" if ok else "MISS"
    for student in figures["single"]:
        cold, stock = (median(seconds(figures, f"{k}:{student}")) for k in ("cold_one", "stock_one"))
        if cold and stock:
            limit = stock * TARGET_COLD_FRACTION
            lines.append(f"- {verdict(cold <= limit)}: cold `gradekit grade` <= 1/3 of stock "
                         f"nbgrader, {short(student)}: {cold:.2f} s, limit {limit:.2f} s (stock "
                         f"{stock:.2f} s): {stock / cold:.2f}x faster, 3x wanted")
    warm = stages.upload_medians(figures, "upload_warm:stub")
    if not warm:
        lines.append(f"- n/a: warm overhead <= {TARGET_WARM_OVERHEAD_S} s: "
                     f"{NOT_AVAILABLE} ({figures['warm']['reason']})")
    else:
        outside = median(r["timing"]["grading"].get("outside_student")
                         for run in figures["modes"].get("warm_batch", {}).get("runs", [])
                         for r in run.get("reports", []) if r.get("timing"))
        lines.append(f"- {verdict(warm['wall'] <= TARGET_WARM_OVERHEAD_S)}: warm overhead <= "
                     f"{TARGET_WARM_OVERHEAD_S} s: {warm['wall']:.2f} s (estimate: a warm `gradekit "
                     "upload` of the release stub, whose functions all raise at once); the server "
                     f"took {warm['total']:.2f} s of it (its grading {warm['grade']:.2f} s)"
                     + (f"; in the warm batch a grading spent a median {outside:.2f} s outside "
                        "the student's code" if outside is not None else ""))
    stock = median(seconds(figures, "stock_batch"))
    for key, mode in (("cold_batch", "cold"), ("warm_batch", "warm")):
        mine = median(seconds(figures, key))
        if mine and stock:
            lines.append(f"- {verdict(stock / mine >= TARGET_BATCH_SPEEDUP)}: batch of "
                         f"{figures['batch']['size']} with --jobs 2 >= {TARGET_BATCH_SPEEDUP:g}x "
                         f"stock throughput ({mode}): {stock / mine:.2f}x ({mine:.1f} s vs stock "
                         f"{stock:.1f} s)")
    peak = max((p["sandbox_mb"] for p in figures["probe"].values()), default=None)
    if peak is not None:
        lines.append(f"- {verdict(peak <= TARGET_SANDBOX_MB)}: peak sandbox memory <= "
                     f"{TARGET_SANDBOX_MB} MB: {peak:.0f} MB")
    return lines


def render(figures):
    """The whole report as Markdown text."""
    table = [row(figures, *spec) for spec in row_specs(figures)]
    out = header_lines(figures) + ["", md_table(HEADERS, table)]
    import targets   # it reads this module's limits
    for section in (time_lines, memory_lines, stages.tables, targets.target_lines,
                    target_lines):
        out += [""] + section(figures)
    if figures["notes"]:
        out += ["", "Notes:"] + [f"- {note}" for note in figures["notes"]]
    if figures["failures"]:
        out += ["", "FAILED commands:"] + [f"- {failure}" for failure in figures["failures"]]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text())))
