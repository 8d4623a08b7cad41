"""gradekit audit: AST mutants, the equivalence probe, and audits of real and broken graders."""
# The end-to-end tests audit a private copy of the course with a small library (two mutants,
# one variant) and three generated mutants, then break a grader in the copy on purpose.
import ast
import json
import shutil

import pytest

from gradekit.audit import run_audit
from gradekit.commands.audit import main as audit_main
from gradekit.audit.equivalence import probe
from gradekit.audit.mutate import generate, select
from gradekit.audit.report import to_json_text, to_text
from gradekit.cli import main as cli_main
from gradekit.course.layout import Course

SMALL_LIBRARY = {"mutants": ["grad_sum_not_mean.py", "answer_task1_true.py"],
                 "variants": ["float32.py"]}


@pytest.fixture(scope="module")
def reference_source(course_root):
    return (course_root / "reference" / "ML06" / "mlp.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def wrap_calls(course_root):
    """ML06's own mutation operator (grading.toml [audit] wrap_calls)."""
    return dict(Course(course_root).settings("ML06").wrap_calls)


@pytest.fixture(scope="module")
def mutants(reference_source, wrap_calls):
    return generate(reference_source, "reference/ML06/mlp.py", wrap_calls=wrap_calls)


def find(mutants, function, operator):
    """The first generated mutant of `function` with `operator` (ids carry line numbers)."""
    return next(m for m in mutants if m.function == function and m.operator == operator)


def small_course(root, target):
    """Copy what grading ML06 needs, with only SMALL_LIBRARY in mutants/ and variants/."""
    for part in ("graders", "reference", "data", "release", "source"):
        shutil.copytree(root / part, target / part,
                        ignore=shutil.ignore_patterns("__pycache__", "attacks"))
    shutil.copy2(root / "nbgrader_config.py", target / "nbgrader_config.py")
    for kind, keep in SMALL_LIBRARY.items():
        for path in (target / "graders" / "ML06" / kind).iterdir():
            if path.name not in keep and path.is_file():   # mutants/_bases/ stays
                path.unlink()
    return target


def edit(path, old, new):
    """Replace one exact piece of a grader's text (fails loudly if the grader changed)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- mutation operators -------------------------------------------------------------------

def test_mutants_are_valid_distinct_and_deterministic(mutants, reference_source, wrap_calls):
    reference_tree = ast.dump(ast.parse(reference_source))
    assert len(mutants) >= 40
    assert [m.id for m in mutants] == [m.id for m in generate(
        reference_source, "reference/ML06/mlp.py", wrap_calls=wrap_calls)]
    assert len({m.id for m in mutants}) == len(mutants)
    programs = set()
    for mutant in mutants:
        tree = ast.dump(ast.parse(mutant.source))   # valid Python
        assert tree != reference_tree, mutant.id    # a real change, not a reformatting
        programs.add(tree)
        changed = [line for line in mutant.diff.splitlines()
                   if line[:1] in "-+" and not line.startswith(("---", "+++"))]
        assert len(changed) == 2, (mutant.id, changed)   # one line out, one line in
        assert mutant.id.startswith(f"{mutant.function}:L{mutant.line}:{mutant.operator}")
    assert len(programs) == len(mutants)   # no two mutants are the same program


def test_every_operator_family_is_used(mutants):
    families = {m.operator.split("-")[0] for m in mutants}
    assert families >= {"BinOp", "AugAssign", "DropTerm", "UnaryOp", "Compare", "Constant",
                        "Slice", "Index", "Call", "Range"}
    functions = {m.function for m in mutants}
    assert {"sigmoid", "forward", "loss", "gradients", "train", "predict",
            "ANSWER_TASK5"} <= functions


def test_operators_on_a_small_function():
    source = ('"""Doc."""\nimport numpy as np\nLIMIT = 0.5\n\n\n'
              'def f(a, w, n=2):\n    """Never mutated: 1 + 2."""\n'
              '    for _ in range(n):\n        a -= w[1:] * 2\n'
              '    return (-sigmoid(a) + (1 - a)) >= LIMIT\n')
    lines = {m.operator: [line for line in m.diff.splitlines()
                          if line.startswith("+") and not line.startswith("+++")][0]
             for m in generate(source, wrap_calls={"sigmoid": "(lambda s: s * (1 - s))({})"})}
    assert lines["Constant-0.5->0.4"] == "+LIMIT = 0.4"
    assert lines["Slice-[1:]->[:-1]"] == "+        a -= w[:-1] * 2"
    assert lines["AugAssign-Sub->Add"] == "+        a += w[1:] * 2"
    assert lines["BinOp-Mult->Div"] == "+        a -= w[1:] / 2"
    assert lines["Range-stop->stop+1"] == "+    for _ in range(n + 1):"
    assert lines["Compare-GtE->Gt"] == "+    return (-sigmoid(a) + (1 - a)) > LIMIT"
    assert lines["DropTerm-Add-right"] == "+    return (-sigmoid(a)) >= LIMIT"
    assert lines["DropTerm-Add-left"] == "+    return (1 - a) >= LIMIT"
    assert lines["UnaryOp-USub->none"] == "+    return (sigmoid(a) + (1 - a)) >= LIMIT"
    assert lines["Call-sigmoid->wrapped"] == \
        "+    return (-(lambda s: s * (1 - s))(sigmoid(a)) + (1 - a)) >= LIMIT"
    assert "Never mutated" not in "".join(lines.values())


def test_subsets_are_deterministic(mutants):
    quick = select(mutants, quick=True)
    assert quick == mutants[::4] == select(mutants, quick=True)
    assert [m.id for m in select(mutants, limit=5)] == [m.id for m in select(mutants, limit=5)]
    assert len(select(mutants, limit=5)) == 5
    assert select(mutants, only=[mutants[3].id]) == [mutants[3]]
    with pytest.raises(ValueError):
        select(mutants, only=["no-such-id"])


# --- equivalence probe --------------------------------------------------------------------

def test_probe_tells_equivalent_from_real_mutants(mutants, course_root):
    clip = find(mutants, "loss", "Constant-1e-15->8e-16")      # clipping far below any input
    tie = find(mutants, "predict", "Compare-GtE->Gt")           # only exact ties differ
    real = find(mutants, "gradients", "BinOp-Sub->Add")         # a wrong gradient
    verdicts = probe(course_root / "reference" / "ML06" / "mlp.py",
                     course_root / "graders" / "ML06" / "audit_probe.py",
                     [(m.id, m.source) for m in (clip, tie, real)], jobs=2)
    assert verdicts[clip.id] is None and verdicts[tie.id] is None
    assert verdicts[real.id] == "gradients H=2 differs"


def test_probe_claims_no_equivalence_it_cannot_show(tmp_path):
    """The old probe called every mutant "equivalent" when reference and mutant raised alike."""
    reference = tmp_path / "solution.py"
    reference.write_text("def f(x):\n    return x + 1\n")
    negated = [("negated", "def f(x):\n    return -(x + 1)\n")]
    battery = tmp_path / "audit_probe.py"
    battery.write_text("def battery():\n    return [('g(1)', lambda m: m.g(1))]\n")
    assert probe(reference, battery, negated)["negated"] == \
        "unknown: the reference raised AttributeError on g(1)"
    assert probe(reference, tmp_path / "none.py", negated)["negated"] == \
        "unknown: no none.py beside the graders"
    battery.write_text("def battery():\n    return [('f(10)', lambda m: m.f(10))]  # f\n")
    assert probe(reference, battery, negated)["negated"] == "f(10) differs"


# --- usage --------------------------------------------------------------------------------

def test_bad_usage_is_one_line_and_exit_2(course_root, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(course_root)
    assert cli_main(["audit", "ML99"]) == 2
    assert cli_main(["audit", "ML06", "--only", "no-such-mutant"]) == 2
    monkeypatch.chdir(tmp_path)   # not a course root
    assert cli_main(["audit", "ML06"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("gradekit: error: ") for e in errors)


# --- whole audits on a copy of the course -------------------------------------------------

@pytest.fixture(scope="module")
def picked(mutants):
    """One killed, one surviving (another init range), one equivalent generated mutant."""
    return [find(mutants, "ANSWER_TASK1", "Constant-False->True").id,
            find(mutants, "init_weights", "Constant-0.5->0.4").id,
            find(mutants, "predict", "Compare-GtE->Gt").id]


def timeless(report):
    """The report without its timings (the only part that may differ between runs)."""
    report = json.loads(to_json_text(report))
    report.pop("duration_s"), report.pop("timing_s")
    for row in [report["reference"], report["release_stub"]] + report["mutants"] + \
            report["variants"] + report["generated"]["mutants"]:
        row.pop("duration_s")
    return report


@pytest.mark.slow
def test_audit_passes_on_the_real_graders_and_is_reproducible(course_root, tmp_path, picked):
    # one test, not two sharing a fixture: under xdist each worker would audit again
    course = Course(small_course(course_root, tmp_path / "course"))
    report = run_audit(course, "ML06", jobs=2, only=picked)
    assert report["passed"], report["problems"]
    assert report["reference"]["ok"] and report["reference"]["score"] == 10.0
    assert report["release_stub"]["ok"] and report["release_stub"]["score"] == 0.0
    assert len(report["cells"]) == 10
    assert report["library"] == {"mutants_killed": 2, "mutants": 2, "variants_ok": 1,
                                 "variants": 1}
    status = {row["id"]: row["status"] for row in report["generated"]["mutants"]}
    assert status == dict(zip(picked, ["killed", "survived", "equivalent"]))
    assert report["generated"]["mutation_score"] == 0.5   # 1 killed / 2 non-equivalent
    text = to_text(report)
    assert "Audit PASSED" in text and picked[1] in text.split("Surviving generated")[1]
    assert "+    W1 = rng.uniform(-0.4, 0.5" in text       # the survivor's diff is shown

    again = run_audit(course, "ML06", jobs=2, only=picked, strict=True)
    assert not again["passed"]   # --strict: the surviving generated mutant fails the audit
    assert again["problems"] == [f"generated mutant {picked[1]} survived (--strict)"]
    first, second = timeless(report), timeless(again)
    for volatile in ("problems", "passed", "strict"):
        first.pop(volatile), second.pop(volatile)
    assert first == second   # same matrices, same mutation score, same diffs


@pytest.mark.slow
def test_weakened_grader_lets_an_annotated_mutant_survive(course_root, tmp_path, capsys):
    root = small_course(course_root, tmp_path / "course")
    # 100x the tolerance: a gradient N times too large (the summed loss) now passes
    edit(root / "graders" / "ML06" / "test_gradients.py",
         "<= 1e-4 * np.abs(want)", "<= 1e2 * np.abs(want)")
    assert audit_main(assignment="ML06", course_root=root, jobs=2, limit=0) == 1
    out = capsys.readouterr().out
    assert "Audit FAILED" in out
    assert "mutants/grad_sum_not_mean.py survived test_gradients" in out


@pytest.mark.slow
def test_over_strict_grader_fails_an_honest_variant(course_root, tmp_path, capsys):
    root = small_course(course_root, tmp_path / "course")
    # demanding float64 rejects the float32 variant, a correct solution
    edit(root / "graders" / "ML06" / "test_forward.py",
         '    Z, y_hat = pair(student.forward(X, W1, w2), "forward")\n',
         '    Z, y_hat = pair(student.forward(X, W1, w2), "forward")\n'
         '    assert np.asarray(Z).dtype == np.float64, "Z must be float64"\n')
    assert audit_main(assignment="ML06", course_root=root, jobs=2, limit=0, as_json=True) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["problems"] == ["variants/float32.py wrongly failed test_forward (0 of 1)"]
    assert "variants/float32.py wrongly failed test_forward" in captured.err
    assert report["variants"][0]["cells"]["test_forward"] == "FAIL"
