"""The annotated example submissions kept beside an assignment's graders.

graders/<A>/mutants/*.py   one realistic mistake each:   `# must-fail: gradients, train`
graders/<A>/variants/*.py  honest correct solutions:     `# must-pass: all`
graders/<A>/attacks/*     hostile uploads (wrong code + an exploit), `# must-fail: ...`
Check names are grade cells without their `test_` prefix.  Read by the suite and the audit.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(r"^#\s*(gradekit-(?:mutant|variant|attack)|must-fail|must-pass|note):\s*(.*)$")
KINDS = {"mutants": "gradekit-mutant", "variants": "gradekit-variant", "attacks": "gradekit-attack"}


@dataclass(frozen=True)
class Example:
    """One library file and what the graders must do with it."""

    path: Path
    kind: str                 # mutants | variants | attacks
    description: str
    must_fail: frozenset      # grade cell ids, e.g. {"test_gradients"}
    note: str = ""

    @property
    def name(self):
        return f"{self.kind}/{self.path.name}"


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
    return Example(path, kind, fields[KINDS[kind]],
                   frozenset(f"test_{c.strip()}" for c in checks.split(",") if c.strip()),
                   fields.get("note", ""))


def load_library(graders_dir, kinds=tuple(KINDS)):
    """All examples of the given kinds, sorted by file name."""
    examples = []
    for kind in kinds:
        folder = Path(graders_dir) / kind
        if folder.is_dir():
            examples += [read_example(p, kind) for p in sorted(folder.iterdir())
                         if p.suffix in (".py", ".ipynb")]
    return examples
