"""Parsed Python statements into normalised tokens (regions.py groups them per function).

What a copier changes without changing the program must not change the stream:
- names: every name a student chooses is `V`; imported modules and what they hold keep
  their dotted path (`numpy.exp`, whatever the alias), builtins keep their name;
- spellings: `a @ b`, `np.dot(a, b)`, `np.matmul(a, b)` and `a.dot(b)` are one `MATMUL`;
  `x += y` is `x = x + y`; `a.sum()` is `sum(a)`, `np.sum(a)` too; `np.transpose(a)` is `a.T`;
  the operands of `+` and `*` are put in one order; comprehensions and loops that only
  append are one `LOOP` form, and so are `for i in range(n)` and its `while` spelling;
  `math.exp` and `np.exp` are `exp`;
- noise: comments, formatting, docstrings, `pass`, `print(...)`, bare expressions,
  `if False:` blocks, code after `return`, and assignments inside a function to a name that
  nothing reads (dead code a copier inserts).
"""
import ast

from .spellings import (
    ARRAY_METHODS,
    BUILTINS,
    COMMUTATIVE,
    COMPOUND,
    KEPT_ATTRIBUTES,
    MATMUL_CALLS,
    SPELLING,
    counting_loops,
)


class Emitter:
    """Emits the normalised tokens of one parsed block."""

    def __init__(self, context):
        self.modules = context.modules
        self.read = context.read

    def function(self, node, region, starter):
        region.tokens += ["DEF", f"ARGS{len(node.args.args)}"]
        region.lines += [node.lineno, node.lineno]
        self.body(node.body, region, starter)

    def body(self, statements, region, starter):
        # noise first, so that dead code between `i = 0` and `while i < n:` hides no loop
        statements = counting_loops([s for s in statements if not self.is_noise(s, False)])
        for statement in statements:
            self.statement(statement, region, starter)
            if isinstance(statement, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
                break   # what follows never runs

    def statement(self, node, region, starter, top=False):
        if self.is_noise(node, top):
            return
        if isinstance(node, COMPOUND):
            return self.compound(node, region, starter)
        tokens = []
        self.expression(node, tokens)
        if tuple(tokens) in starter:
            return
        region.tokens += tokens
        region.lines += [node.lineno] * len(tokens)
        region.statements.append((tuple(tokens), node.lineno))

    def compound(self, node, region, starter):
        head = []
        if isinstance(node, ast.For):
            head.append("LOOP")
            self.expression(node.target, head)
            self.expression(node.iter, head)
        elif isinstance(node, ast.While):
            head.append("LOOP")
            self.expression(node.test, head)
        elif isinstance(node, ast.If):
            head.append("IF")
            self.expression(node.test, head)
        elif isinstance(node, ast.FunctionDef):
            head += ["DEF", f"ARGS{len(node.args.args)}"]
        else:
            head.append(type(node).__name__.upper())
        region.tokens += head
        region.lines += [node.lineno] * len(head)
        region.statements.append((tuple(head), node.lineno))
        self.body(node.body, region, starter)
        for name in ("orelse", "finalbody"):
            if getattr(node, name, None):
                region.tokens.append("ELSE")
                region.lines.append(node.lineno)
                self.body(getattr(node, name), region, starter)
        for handler in getattr(node, "handlers", []):
            self.body(handler.body, region, starter)

    def is_noise(self, node, top):
        if isinstance(node, ast.Pass):
            return True
        if isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                    and value.func.id in ("print", "display"):
                return True
            return not isinstance(value, (ast.Call, ast.Await, ast.Yield))
        if isinstance(node, ast.If) and not node.orelse and (
                isinstance(node.test, ast.Constant) and not node.test.value
                or all(self.is_noise(n, top) for n in node.body)):
            return True   # never runs, or does nothing but print
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if len(names) == len(targets) and not any(n in self.read for n in names):
                return not top or not any(n.isupper() for n in names)
        return False

    def expression(self, node, out):
        """Append the tokens of `node` (pre-order, normalised) to `out`."""
        if isinstance(node, ast.Name):
            out.append(self.modules.get(node.id) or (node.id if node.id in BUILTINS else "V"))
        elif isinstance(node, ast.Constant):
            value = node.value
            out.append("S" if isinstance(value, (str, bytes)) else f"C{value!r}")
        elif isinstance(node, ast.Attribute):
            path = self.dotted(node)
            if path:
                out.append(SPELLING.get(path, path.split(".", 1)[-1] if path.startswith(
                    ("numpy.", "math.")) else path))
            else:
                out.append(node.attr if node.attr in KEPT_ATTRIBUTES else "A")
                self.expression(node.value, out)
        elif isinstance(node, ast.AugAssign):
            self.expression(ast.Assign([node.target], ast.BinOp(node.target, node.op,
                                                                 node.value)), out)
        elif isinstance(node, ast.BinOp):
            self.binary(node.op, node.left, node.right, out)
        elif isinstance(node, ast.Call):
            self.call(node, out)
        elif isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            for generator in node.generators:
                out.append("LOOP")
                self.expression(generator.target, out)
                self.expression(generator.iter, out)
                for condition in generator.ifs:
                    out.append("IF")
                    self.expression(condition, out)
            self.expression(node.elt, out)
        else:
            out.append(type(node).__name__)
            for child in ast.iter_child_nodes(node):
                if not isinstance(child, (ast.expr_context, ast.arguments)):
                    self.expression(child, out)

    def binary(self, op, left, right, out):
        if isinstance(op, ast.MatMult):
            out.append("MATMUL")
        else:
            out.append(type(op).__name__)
        parts = []
        for operand in (left, right):
            tokens = []
            self.expression(operand, tokens)
            parts.append(tokens)
        if isinstance(op, COMMUTATIVE):
            parts.sort()
        for tokens in parts:
            out += tokens

    def call(self, node, out):
        func = node.func
        path = self.dotted(func) if isinstance(func, ast.Attribute) else None
        name = SPELLING.get(path, path) if path else None
        args = list(node.args)
        if name in MATMUL_CALLS and len(args) == 2:
            return self.binary(ast.MatMult(), args[0], args[1], out)
        if path is None and isinstance(func, ast.Attribute) and func.attr in ARRAY_METHODS:
            if func.attr == "dot" and len(args) == 1:
                return self.binary(ast.MatMult(), func.value, args[0], out)
            name, args = func.attr, [func.value] + args   # a.sum(1) is sum(a, 1)
        if name and name.startswith("numpy.") and name[6:] in ARRAY_METHODS:
            name = name[6:]
        if name == "transpose" and len(args) == 1:
            out.append("T")
            return self.expression(args[0], out)
        if isinstance(func, ast.Attribute) and func.attr == "append" and len(args) == 1 \
                and path is None:
            out.append("APPEND")   # r.append(e) in a loop is the comprehension's element
            return self.expression(args[0], out)
        out.append("CALL")
        if name:
            out.append(name)
        else:
            self.expression(func, out)
        for argument in args:
            self.expression(argument, out)
        for keyword in sorted(node.keywords, key=lambda k: k.arg or ""):
            out.append(f"K{keyword.arg}")
            self.expression(keyword.value, out)

    def dotted(self, node):
        """`np.linalg.norm` -> "numpy.linalg.norm" when its root is an imported module."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.modules:
            return None
        return ".".join([self.modules[node.id]] + parts[::-1])
