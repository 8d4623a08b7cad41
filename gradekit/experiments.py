"""Which experiment cells of a notebook grading can skip: those whose effects nothing sees.

Experiment cells only train and plot for the student's eyes (grading.toml experiment_cells)
and are most of a notebook's run time; a cell whose names another cell needs still runs.
"""
import ast
import symtable

from .pyparse import parse


def experiments_to_skip(cells, experiments, api):
    """Labels of experiment cells whose effects no other cell can see.

    A cell stays if it defines, imports, mutates attributes or items, assigns an API name, or
    assigns a name that a staying cell reads (at top level or inside a function body);
    repeated until nothing changes.  Cells of unknown structure (syntax errors) stay.
    """
    assigned = {label: bound_names(source, api) for label, source, grade_id in cells
                if grade_id in experiments}
    candidates = {label for label, names in assigned.items() if names is not None}
    while True:
        read = set()
        for label, source, _ in cells:
            if label not in candidates:
                read |= read_names(source)
        needed = {label for label in candidates if assigned[label] & read}
        if not needed:
            return candidates
        candidates -= needed


UNSAFE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
          ast.Global, ast.Nonlocal)
UNSAFE_CALLS = {"exec", "eval", "globals", "setattr", "__import__", "get_ipython", "vars"}


def bound_names(source, api):
    """Global names a cell binds, or None when it must run (defs, imports, mutation...)."""
    try:
        tree = parse(source)
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


def read_names(source):
    """Global names a cell reads: at top level, or inside function bodies (not their locals)."""
    try:
        tables = [symtable.symtable(source, "cell", "exec")]
    except SyntaxError:
        return set()
    names = set()
    while tables:
        table = tables.pop()
        tables += table.get_children()
        names |= {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()
                  and (table.get_type() == "module" or symbol.is_global())}
    return names
