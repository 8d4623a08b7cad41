"""Cells of Python source into syntax trees, even when they do not quite parse, and what
the whole notebook tells about them (the names it reads, what it imports)."""
import ast
import re

from ..submissions.pyparse import parse
from ..submissions.load import strip_magics, top_level_blocks

MAX_BROKEN_LINES = 5   # lines a cell may lose to a SyntaxError and still be parsed


def parse_cell(source):
    """[(first line, ast.Module or str)]: the cell parsed whole, else without the lines
    that break it (those lexed), else block by block; text is for lexed_region."""
    source = strip_magics(source)
    try:
        return [(0, parse(source))]
    except (SyntaxError, ValueError):
        pass
    salvaged = without_broken_lines(source)
    if salvaged:
        return salvaged
    blocks = []
    for start, block in top_level_blocks(source):
        try:
            blocks.append((start, parse(block)))
        except (SyntaxError, ValueError):
            blocks.append((start, block))
    return blocks


def without_broken_lines(source, tries=MAX_BROKEN_LINES):
    """The cell parsed with the lines a SyntaxError points at blanked, and those lines
    as text, when at most `tries` lines have to go; else None."""
    lines = source.splitlines()
    removed = [""] * len(lines)   # the removed lines at their places, for their numbers
    for _ in range(tries):
        try:
            tree = parse("\n".join(lines))
        except SyntaxError as exc:
            number = (exc.lineno or 0) - 1
            if not 0 <= number < len(lines) or not lines[number].strip():
                return None
            removed[number], lines[number] = lines[number], ""
            continue
        except ValueError:
            return None
        return [(0, tree), (0, "\n".join(removed))]
    return None


class Context:
    """What the whole notebook tells about its cells: names it reads (an assignment to
    none of them is dead code) and its imports ({local name: dotted path})."""

    def __init__(self, parsed_cells):
        self.read, self.modules = set(), dict(DEFAULT_MODULES)
        for blocks in parsed_cells:
            for _, tree in blocks:
                if isinstance(tree, str):
                    self.read |= set(re.findall(r"[A-Za-z_]\w*", tree))
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                        self.read.add(node.id)
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        self.modules.update(imported(node))


DEFAULT_MODULES = {"np": "numpy", "numpy": "numpy", "math": "math",
                   "plt": "matplotlib.pyplot"}


def imported(node):
    """{local name: dotted path} of one import statement."""
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name.split(".")[0]:
                alias.name if alias.asname else alias.name.split(".")[0]
                for alias in node.names}
    return {alias.asname or alias.name: f"{node.module or ''}.{alias.name}".lstrip(".")
            for alias in node.names}
