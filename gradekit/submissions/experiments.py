"""Which experiment cells of a notebook grading can skip: those whose effects nothing sees.

Experiment cells only train and plot for the student's eyes (grading.toml experiment_cells)
and are most of a notebook's run time; a cell whose names another cell needs still runs.
"""
import ast

from .pyparse import parse, symbols


def experiments_to_skip(cells, experiments, api):
    """Labels of experiment cells whose effects no other cell can see.

    A cell stays if it defines, imports, mutates attributes or items, assigns an API name, or
    assigns a name that a staying cell reads (at top level or inside a function body);
    a cell that stays for that reason makes the names it reads needed too.  Cells of unknown
    structure (syntax errors) stay.  Each cell is analysed once and each name followed once,
    so the work is linear in the notebook's size.  Every cell is analysed, experiments or
    not, so a cell nested too deep for the compiler raises TooDeep whatever the notebook.
    """
    reads = {label: read_names(source, label) for label, source, _ in cells}
    assigned = {label: bound_names(source, api, label) for label, source, grade_id in cells
                if grade_id in experiments}
    candidates = {label for label, names in assigned.items() if names is not None}
    binders = {}   # name -> candidate cells that assign it
    for label in candidates:
        for name in assigned[label]:
            binders.setdefault(name, []).append(label)
    pending = [name for label in reads if label not in candidates for name in reads[label]]
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for label in binders.get(name, ()):
            if label in candidates:
                candidates.discard(label)
                pending += reads[label]
    return candidates


UNSAFE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
          ast.Global, ast.Nonlocal)
UNSAFE_CALLS = {"exec", "eval", "globals", "setattr", "__import__", "get_ipython", "vars"}


def bound_names(source, api, label="cell"):
    """Global names a cell binds, or None when it must run (defs, imports, mutation...)."""
    try:
        tree = parse(source, label)
    except SyntaxError:
        return None
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, UNSAFE):
            return None
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in UNSAFE_CALLS:
            return None
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
    return None if names & api else names


def read_names(source, label="cell"):
    """Global names a cell reads: at top level, or inside function bodies (not their locals)."""
    try:
        tables = [symbols(source, label)]
    except SyntaxError:
        return set()
    names = set()
    while tables:
        table = tables.pop()
        tables += table.get_children()
        names |= {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()
                  and (table.get_type() == "module" or symbol.is_global())}
    return names
