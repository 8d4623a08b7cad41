"""The private course copies (stock nbgrader and gradekit) and the submissions placed in them."""
import json
import shutil
from pathlib import Path

from gradekit.course.layout import Course
from gradekit.grading.library import read_example

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "ML06"
# Solution cells of the release that define the pinned API (answers, functions, XOR_HIDDEN).
API_CELLS = ("answer_task1", "answer_task2", "answer_task5", "sigmoid", "init_weights", "forward",
             "loss", "gradients", "train", "predict", "make_mlp_221", "xor_hidden", "make_xor_mlp")
BATCH_SIZE = 40


def library_source(path):
    """The code to grade of a variant or mutant file (a mutant: its base, then its override)."""
    return read_example(Path(path), Path(path).parent.name).source()


def copy_course(target):
    """A private copy of the course's gradable parts; returns its root."""
    return Course(REPO).copy_to(target).root


def nbgrader_defaults():
    """nbgrader's version and its own Autograde preprocessor lists, from the installed nbgrader."""
    import nbgrader
    from nbgrader.converters.autograde import Autograde
    traits = Autograde.class_traits()
    lists = {name: [f"{c.__module__}.{c.__name__}" for c in traits[name].default()]
             for name in ("sanitize_preprocessors", "autograde_preprocessors")}
    return nbgrader.__version__, lists


def write_stock_config(root, version, lists):
    """nbgrader_config.py of the stock copy: course layout only, nbgrader's default steps."""
    text = [
        f'"""Stock nbgrader {version} for the benchmark: the course layout and nbgrader\'s own',
        'default preprocessors (nbgrader/converters/autograde.py), so Execute runs the notebook',
        'in a Jupyter kernel (the course config replaces it with gradekit\'s preprocessor)."""',
        "import os", "", "c = get_config()  # noqa: F821",
        "ROOT = os.path.dirname(os.path.abspath(__file__))",
        'c.CourseDirectory.course_id = "B3M33UI"',
        "c.CourseDirectory.root = ROOT",
        'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")',
    ]
    for name, classes in lists.items():
        text.append(f"c.Autograde.{name} = [")
        text += [f"    {cls!r}," for cls in classes]
        text.append("]")
    (Path(root) / "nbgrader_config.py").write_text("\n".join(text) + "\n")


def notebook_from_script(release_nb, source):
    """The release notebook with `source` as the student's code.

    The source goes into the first answer cell and the other API stubs are emptied: nbgrader
    runs the notebook top to bottom, so its test cells must come after the definitions (an
    appended last cell would let stock nbgrader grade the unfinished stubs, fast and wrong).
    gradekit grades the same file the same way.  The free-form demo cells stay unfinished.
    """
    import nbformat
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    missing = [name for name in API_CELLS if name not in ids]
    if missing:
        raise SystemExit(f"benchmark: release notebook lacks solution cells {missing}")
    for name in API_CELLS:
        ids[name].source = "# implemented in the first answer cell above"
    ids[API_CELLS[0]].source = source
    return nb


def build_submissions(course, quick):
    """{student id: notebook}: the solved notebook, the stub, honest variants, mutants."""
    import nbformat
    course = Path(course)
    release_nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    solved = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    variants = sorted((course / "graders" / ASSIGNMENT / "variants").glob("*.py"))
    mutants = sorted((course / "graders" / ASSIGNMENT / "mutants").glob("*.py"))
    if not variants or not mutants:
        raise SystemExit("benchmark: graders/ML06/variants or mutants is empty")
    if quick:   # no solved notebook: its demo cells train for tens of seconds
        chosen = [("variant", variants[0]), ("variant", variants[-1]), ("mutant", mutants[0])]
        fixed = [("s02-stub", release_nb)]
    else:
        variants = variants[:BATCH_SIZE // 2]   # at least half of the batch are mutants
        room = BATCH_SIZE - 2 - len(variants)
        picked = [mutants[i * len(mutants) // room] for i in range(room)] \
            if room < len(mutants) else mutants
        chosen = [("variant", v) for v in variants] + [("mutant", m) for m in picked]
        fixed = [("s01-solved", solved), ("s02-stub", release_nb)]
    found = dict(fixed)
    for number, (kind, script) in enumerate(chosen, start=3):
        found[f"s{number:02d}-{kind}-{script.stem}"[:64]] = \
            notebook_from_script(release_nb, library_source(script))
    return found


def kinds(submissions):
    """{"stub": 1, "variant": 2, ...}: what the batch is made of."""
    found = {}
    for student in submissions:
        kind = student.split("-")[1]
        found[kind] = found.get(kind, 0) + 1
    return found


def notebook(root, student):
    """Where nbgrader and gradekit autograde expect the student's notebook."""
    return Path(root) / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def place(root, submissions):
    import nbformat
    for student, nb in submissions.items():
        notebook(root, student).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, notebook(root, student))


def clear(root, pattern):
    """Remove run-time folders, e.g. submitted/bench* of uploads (kept out of the next batch)."""
    for folder in Path(root).glob(pattern):
        shutil.rmtree(folder)


def stock_scores(root):
    """{student: [score, max score]} in the stock copy's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    try:
        with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
            found = gradebook.find_assignment(ASSIGNMENT)
            return {s.student.id: [s.score, s.max_score] for s in found.submissions}
    except MissingEntry:
        return {}


def gradekit_scores(root):
    from gradekit.attempts import gradebook
    return {who: list(pair) for who, pair in gradebook.scores(Course(root), ASSIGNMENT).items()}
