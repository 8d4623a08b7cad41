"""Mechanical mutants of a reference solution: one small source edit each, at the AST level."""
# Only the student API is mutated (top-level functions and UPPER_CASE constants); docstrings,
# strings and imports never are.  An edit replaces the smallest span of text that carries the
# change, so a mutant's diff is one line and the rest of the file stays verbatim.
import ast
import difflib
from dataclasses import dataclass

from ..submissions.pyparse import parse

FLIP = {ast.Add: (ast.Sub, "+", "-"), ast.Sub: (ast.Add, "-", "+"),
        ast.Mult: (ast.Div, "*", "/"), ast.Div: (ast.Mult, "/", "*")}
COMPARE = {ast.Lt: (ast.LtE, "<", "<="), ast.LtE: (ast.Lt, "<=", "<"),
           ast.Gt: (ast.GtE, ">", ">="), ast.GtE: (ast.Gt, ">=", ">"),
           ast.Eq: (ast.NotEq, "==", "!="), ast.NotEq: (ast.Eq, "!=", "==")}
# Binding strength of arithmetic: a kept operand weaker than its parent needs parentheses.
PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.FloorDiv: 2, ast.Mod: 2,
              ast.MatMult: 2, ast.Pow: 4}
ATOMIC = (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Tuple)


@dataclass(frozen=True)
class Mutant:
    """One generated mutant: where it lives, what it changes, and the whole mutated source."""

    id: str            # e.g. "gradients:L72:BinOp-Sub->Add"
    function: str      # top-level function or constant it lives in
    operator: str      # e.g. "BinOp-Sub->Add"
    line: int
    diff: str          # unified diff against the reference
    source: str


class _Text:
    """Offsets in the source text from AST positions (col_offset counts UTF-8 bytes)."""

    def __init__(self, source):
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line, col):
        prefix = self.lines[line - 1].encode("utf-8")[:col].decode("utf-8")
        return self.starts[line - 1] + len(prefix)

    def span(self, node):
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node):
        start, end = self.span(node)
        return self.source[start:end]


def _gap_edit(text, left, right, old, new):
    """Replace the operator symbol `old` that stands between two nodes, or None if unclear."""
    start, end = text.span(left)[1], text.span(right)[0]
    gap = text.source[start:end]
    # the gap holds only the symbol, blanks and parentheses; anything else is left alone
    if gap.strip("() \t\n\\") != old:
        return None
    at = start + gap.index(old)
    return at, at + len(old), new


def _wrapped(node, text, parent_op=None):
    """Source of `node`, parenthesised when it binds less tightly than where it goes."""
    source = text.segment(node)
    if isinstance(node, ATOMIC):
        return source
    if isinstance(node, ast.BinOp) and parent_op is not None and \
            PRECEDENCE.get(type(node.op), 0) >= PRECEDENCE.get(type(parent_op), 9):
        return source
    if isinstance(node, ast.UnaryOp) and parent_op is not None and \
            PRECEDENCE.get(type(parent_op), 9) < PRECEDENCE[ast.Pow]:   # -x binds tighter
        return source
    return f"({source})"


def _new_constant(value):
    """The mutated value of a numeric constant, or None for constants we leave alone."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return 1 if value == 0 else value - 1
    if isinstance(value, float):
        if value.is_integer():       # 2.0 -> 1.0, 1.0 -> 0.0, 0.0 -> 1.0, like the ints
            return 1.0 if value == 0 else value - 1.0
        return float(f"{value * 0.8:.6g}")   # 0.5 -> 0.4, 1e-15 -> 8e-16
    return None


def _edits(node, text, wrap_calls):
    """(operator name, start, end, replacement) for every mutation of this one node;
    wrap_calls {f: "g({})"} are the assignment's own operators (f(...) -> g(f(...)))."""
    out = []
    if isinstance(node, ast.BinOp) and type(node.op) in FLIP:
        new_op, old, new = FLIP[type(node.op)]
        edit = _gap_edit(text, node.left, node.right, old, new)
        if edit:
            out.append((f"BinOp-{type(node.op).__name__}->{new_op.__name__}", *edit))
        start, end = text.span(node)
        if isinstance(node.op, (ast.Add, ast.Sub)):   # drop a term of a sum: a + b -> a
            out.append((f"DropTerm-{type(node.op).__name__}-right", start, end,
                        _wrapped(node.left, text, node.op)))
        if isinstance(node.op, ast.Add):              # ... and a + b -> b
            out.append(("DropTerm-Add-left", start, end, _wrapped(node.right, text, node.op)))
    elif isinstance(node, ast.AugAssign) and type(node.op) in FLIP:
        new_op, old, new = FLIP[type(node.op)]
        edit = _gap_edit(text, node.target, node.value, old + "=", new + "=")
        if edit:
            out.append((f"AugAssign-{type(node.op).__name__}->{new_op.__name__}", *edit))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        start = text.span(node)[0]
        out.append(("UnaryOp-USub->none", start, start + 1, ""))
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARE:
        new_op, old, new = COMPARE[type(node.ops[0])]
        edit = _gap_edit(text, node.left, node.comparators[0], old, new)
        if edit:
            out.append((f"Compare-{type(node.ops[0]).__name__}->{new_op.__name__}", *edit))
    elif isinstance(node, ast.Constant) and not isinstance(node.value, (str, bytes)):
        new = _new_constant(node.value)
        if new is not None:
            out.append((f"Constant-{node.value!r}->{new!r}", *text.span(node), repr(new)))
    elif isinstance(node, ast.Slice) and node.step is None:
        lower, upper = node.lower, node.upper
        if upper is None and isinstance(lower, ast.Constant) and type(lower.value) is int:
            out.append((f"Slice-[{lower.value}:]->[:-{lower.value}]", *text.span(node),
                        f":-{lower.value}"))
        elif lower is None and isinstance(upper, ast.UnaryOp) and \
                isinstance(upper.op, ast.USub) and isinstance(upper.operand, ast.Constant):
            k = upper.operand.value
            out.append((f"Slice-[:-{k}]->[{k}:]", *text.span(node), f"{k}:"))
    elif isinstance(node, ast.Subscript):
        indices = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for index in indices:   # index off by one upwards (downwards is the constant rule)
            if isinstance(index, ast.Constant) and type(index.value) is int and index.value >= 1:
                out.append((f"Index-{index.value}->{index.value + 1}", *text.span(index),
                            str(index.value + 1)))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        start, end = text.span(node)
        if node.func.id in wrap_calls:
            out.append((f"Call-{node.func.id}->wrapped", start, end,
                        wrap_calls[node.func.id].format(text.segment(node))))
        elif node.func.id == "range" and node.args and not node.keywords:
            stop = node.args[0] if len(node.args) == 1 else node.args[1]
            s, e = text.span(stop)
            bound = _wrapped(stop, text, ast.Add())
            out.append(("Range-stop->stop+1", s, e, f"{bound} + 1"))
            out.append(("Range-stop->stop-1", s, e, f"{bound} - 1"))
    return out


def _scopes(tree):
    """(name, node) of every part we mutate: top-level functions and UPPER_CASE constants."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement.name, statement
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name) and statement.targets[0].id.isupper():
            yield statement.targets[0].id, statement.value


def _nodes(scope):
    """Nodes of a scope that may be mutated: not docstrings, not decorators."""
    skip = set()
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = scope.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        for decorator in scope.decorator_list:
            skip.update(id(n) for n in ast.walk(decorator))
    return [n for n in ast.walk(scope) if id(n) not in skip and hasattr(n, "lineno")]


def generate(source, filename="reference.py", wrap_calls=None):
    """Every mutant of `source`, in source order, ids unique; same source -> same list."""
    wrap_calls = wrap_calls or {}
    tree = parse(source)
    text = _Text(source)
    reference_dump = ast.dump(tree)
    candidates = []
    for name, scope in _scopes(tree):
        for node in _nodes(scope):
            for operator, start, end, replacement in _edits(node, text, wrap_calls):
                candidates.append((start, operator, name, node.lineno,
                                   source[:start] + replacement + source[end:]))
    candidates.sort(key=lambda c: (c[0], c[1]))
    mutants, seen, ids = [], {reference_dump}, {}
    for start, operator, name, line, mutated in candidates:
        try:
            dump = ast.dump(parse(mutated))
        except SyntaxError:      # an edit we could not place cleanly: never a mutant
            continue
        if dump in seen:         # no change, or the same program as an earlier mutant
            continue
        seen.add(dump)
        base = f"{name}:L{line}:{operator}"
        ids[base] = ids.get(base, 0) + 1
        mutant_id = base if ids[base] == 1 else f"{base}#{ids[base]}"
        diff = "".join(difflib.unified_diff(source.splitlines(keepends=True),
                                            mutated.splitlines(keepends=True),
                                            fromfile=filename, tofile=mutant_id, n=1))
        mutants.append(Mutant(mutant_id, name, operator, line, diff, mutated))
    return mutants


def select(mutants, quick=False, limit=None, only=None):
    """A deterministic subset: the ids in `only`, else every 4th with quick, then `limit`."""
    if only:
        known = {m.id for m in mutants}
        unknown = [i for i in only if i not in known]
        if unknown:
            raise ValueError(f"no generated mutant with id {unknown[0]!r}")
        return [m for m in mutants if m.id in set(only)]
    chosen = mutants[::4] if quick else list(mutants)
    if limit is not None and len(chosen) > limit:
        step = len(chosen) / max(limit, 1)   # evenly spread over the file, not its first part
        chosen = [chosen[int(i * step)] for i in range(limit)]
    return chosen
