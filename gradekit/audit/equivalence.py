"""Find probably-equivalent mutants by running probe_script.py in separate `python -I` processes."""
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SCRIPT = Path(__file__).with_name("probe_script.py")


def _run_chunk(reference, battery, chunk, folder, number):
    """One probe process for a list of (id, source); returns {id: difference or None}."""
    folder = Path(folder)
    entries = []
    for index, (mutant_id, source) in enumerate(chunk):
        path = folder / f"probe_{number}_{index}.py"
        path.write_text(source, encoding="utf-8")
        entries.append([mutant_id, str(path)])
    request = folder / f"request_{number}.json"
    request.write_text(json.dumps({"reference": str(reference), "battery": str(battery),
                                   "mutants": entries}))
    # -I: no user site, no PYTHON* variables, no current directory on sys.path.  Timeout:
    # the probe's own 60 s alarm per mutant, plus its imports.
    done = subprocess.run([sys.executable, "-I", str(SCRIPT), str(request)], cwd=folder,
                          capture_output=True, text=True, timeout=60 * len(chunk) + 60)
    try:
        if done.returncode == 0:
            return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        pass
    # a failed probe shows nothing equivalent: its mutants stay "survived", never excepted
    tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}, no verdicts"]
    return {mutant_id: f"probe failed: {tail[0]}" for mutant_id, _ in chunk}


def probe(reference, battery, mutants, jobs=1):
    """{id: None if the mutant matched the reference on the whole battery, else why not}.

    reference: path of the reference solution; battery: path of the assignment's
    audit_probe.py (without one nothing is shown equivalent); mutants: [(id, source)].
    """
    mutants = list(mutants)
    if not mutants:
        return {}
    if not Path(battery).is_file():
        return {mutant_id: f"unknown: no {Path(battery).name} beside the graders"
                for mutant_id, _ in mutants}
    jobs = max(1, min(jobs, len(mutants)))
    chunks = [mutants[i::jobs] for i in range(jobs)]
    verdicts = {}
    with tempfile.TemporaryDirectory(prefix="gradekit-probe-") as folder, \
            ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(_run_chunk, Path(reference).resolve(), Path(battery).resolve(),
                               chunk, folder, n)
                   for n, chunk in enumerate(chunks)]
        for future in futures:
            try:
                verdicts.update(future.result())
            except subprocess.TimeoutExpired:
                pass   # ids left out below count as "not shown equivalent"
    return {mutant_id: verdicts.get(mutant_id, "probe failed: timeout") for mutant_id, _ in mutants}
