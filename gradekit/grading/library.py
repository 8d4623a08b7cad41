"""The annotated example submissions kept beside an assignment's graders.

graders/<A>/mutants/*.py   one realistic mistake each:   `# must-fail: gradients, train`
graders/<A>/variants/*.py  honest correct solutions:     `# must-pass: all`
graders/<A>/attacks/*     hostile uploads (wrong code + an exploit), `# must-fail: ...`
Check names are grade cells without their `test_` prefix.  Read by the suite and the audit.

A mutant may hold only what it changes (`# base: vectorised` plus the redefined functions or
assignments); Example.source() puts it after its frozen base, graders/<A>/mutants/_bases/
vectorised.py, so its definitions win.  A mutant without a base is a whole file.  Anything
graded must come from Example.source().
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(
    r"^#\s*(gradekit-(?:mutant|variant|attack)|must-fail|must-pass|note|base):\s*(.*)$")
KINDS = {"mutants": "gradekit-mutant", "variants": "gradekit-variant", "attacks": "gradekit-attack"}
BASES = "_bases"                     # beside the mutants: mutants/_bases/<name>.py
BASE_NAME = re.compile(r"^[a-z0-9_]+$")   # a plain file stem, never a path


@dataclass(frozen=True)
class Example:
    """One library file and what the graders must do with it."""

    path: Path
    kind: str                 # mutants | variants | attacks
    description: str
    must_fail: frozenset      # grade cell ids, e.g. {"test_gradients"}
    note: str = ""
    base: str = ""            # mutants: the frozen base the file overrides

    @property
    def name(self):
        return f"{self.kind}/{self.path.name}"

    @property
    def base_path(self):
        return self.path.parent / BASES / f"{self.base}.py" if self.base else None

    def source(self):
        """The text to grade: a mutant's base then its override (later definitions win)."""
        text = self.path.read_bytes().decode("utf-8")   # as is: no newline translation
        if not self.base:
            return text
        return self.base_path.read_bytes().decode("utf-8") + "\n\n" + text

    def write_to(self, folder):
        """Write source() to folder/<file name> (reports keep naming the file); its path."""
        target = Path(folder) / self.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.source().encode("utf-8"))
        return target


def header_lines(path):
    """The leading comment lines of a .py file, or of the first code cell of a notebook."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = [c for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
        source = cells[0]["source"] if cells else ""
        text = "".join(source) if isinstance(source, list) else source
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def read_example(path, kind):
    """Parse one file's header; a file without the header of its kind is an error."""
    fields = {}
    for line in header_lines(path):
        match = HEADER.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    if KINDS[kind] not in fields:
        raise ValueError(f"{path}: missing '# {KINDS[kind]}: ...' header line")
    checks = fields.get("must-fail", "")
    example = Example(path, kind, fields[KINDS[kind]],
                      frozenset(f"test_{c.strip()}" for c in checks.split(",") if c.strip()),
                      fields.get("note", ""), fields.get("base", ""))
    if example.base and not BASE_NAME.match(example.base):
        raise ValueError(f"{path}: '# base: NAME' names a file NAME.py in {BASES}/")
    if example.base and kind != "mutants":
        raise ValueError(f"{path}: only mutants name a base; {kind} are graded as they are")
    if example.base and not example.base_path.is_file():
        raise ValueError(f"{path}: no base {example.base_path}")
    return example


def load_library(graders_dir, kinds=tuple(KINDS)):
    """All examples of the given kinds, sorted by file name."""
    examples = []
    for kind in kinds:
        folder = Path(graders_dir) / kind
        if folder.is_dir():
            examples += [read_example(p, kind) for p in sorted(folder.iterdir())
                         if p.suffix in (".py", ".ipynb")]
    return examples
