"""What several test modules do alike: run the `gradekit` command as users do, build zips,
keep and compare the annotated library's reports."""
import difflib
import io
import json
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

LIBRARY_RECORD = Path(__file__).resolve().parent / "library_grades" / "ML06.json"
# the attacks' time budget in tests: the endless-loop ones would otherwise take 120 s each
ATTACK_BUDGET_S = 25.0


def gradekit(course, *args, timeout=600):
    """Run `gradekit ARGS` (as `python -m gradekit.cli`, so this interpreter's gradekit) in the
    course folder; returns the CompletedProcess with text stdout/stderr.  The timeout turns a
    hang into a failure rather than a stuck suite."""
    return subprocess.run([sys.executable, "-m", "gradekit.cli", *map(str, args)], cwd=course,
                          capture_output=True, text=True, timeout=timeout)


def zipped(members, compress=zipfile.ZIP_STORED, symlink=None, link_target="/etc/passwd"):
    """The bytes of a zip holding `members` ({name: str or bytes}), plus, with `symlink`, a
    member of that name that is a symbolic link to `link_target` (what uploads must refuse)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, link_target)
    return buffer.getvalue()


INSTALLED_FILE = re.compile(r"\([^()]*/site-packages/([^,()]+), line \d+\)")


def kept_report(kind, result):
    """What the library record keeps of one grading: the pinned JSON report and the exit code of
    `gradekit grade`, without what varies from run to run or from machine to machine:
    duration_s (dropped), the sandbox string (its level and features depend on the machine:
    bubblewrap or the fallback, Landlock's version), the number in "did not finish within N s"
    (what is left of the time budget) and in "exit code N" (an interpreter out of memory is
    killed, 137, under a cgroup and exits 1 on a MemoryError under an rlimit), and where an
    installed library's file is named (the environment's folder and the library's version
    decide its path and line).  An attack that
    runs into its time limits is kept by each test's name, points and visibility only: how far
    its later checks get before the budget is spent depends on the machine's speed."""
    from gradekit.commands.grade import exit_code
    report = result.to_json()
    report.pop("duration_s", None)
    if "sandbox" in report:
        report["sandbox"] = "<sandbox>"
    for row in report.get("tests", []) + report.get("load", []):
        for key in ("output", "error"):
            if key in row:
                row[key] = re.sub(r"(within|exit code) \d+", r"\1 <N>", row[key])
                row[key] = INSTALLED_FILE.sub(r"(<site-packages>/\1, line <N>)", row[key])
    if kind == "attacks" and any(t["status"] == "timeout" for t in report.get("tests", [])):
        report["tests"] = timed_out(report["tests"])
    return {"exit": int(exit_code(result)), "report": report}


def timed_out(tests):
    """What is kept of the tests of an attack that ran into its time limits."""
    return [{k: t[k] for k in ("name", "score", "max_score", "visibility")} for t in tests]


MACHINE_LIMIT = re.compile(r"the interpreter (exited|ended|was killed)")


def comparable(recorded, found):
    """The two kept reports of one attack, both cut to `timed_out` when either ran into the
    machine's limits (its time limits, or an interpreter killed or ended, by memory above
    all): whether and where it does depends on the machine's speed and memory."""
    cut = [entry for entry in (recorded, found)
           if entry and any("status" not in t or MACHINE_LIMIT.search(t.get("output", ""))
                            for t in entry["report"].get("tests", []))]
    if not cut or not recorded or not found:
        return recorded, found
    return tuple({**entry, "report": {**entry["report"],
                                      "tests": timed_out(entry["report"]["tests"])}}
                 for entry in (recorded, found))


def library_diff(recorded, found):
    """A unified diff of the library entries that differ ("" when none), recorded first."""
    show = lambda entry: json.dumps(entry, indent=1, sort_keys=True).splitlines()  # noqa: E731
    lines = []
    for name in sorted(set(recorded) | set(found)):
        if recorded.get(name) != found.get(name):
            lines += difflib.unified_diff(show(recorded.get(name)), show(found.get(name)),
                                          f"recorded {name}", f"graded now {name}", lineterm="")
    return "\n".join(lines)
