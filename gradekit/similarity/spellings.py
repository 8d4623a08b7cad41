"""Spellings of one computation that the token streams make one: which names and
attributes say what is done (kept), which calls are a matrix product or a numpy function,
and counting `while` loops that are `for` loops."""
import ast
import builtins

BUILTINS = frozenset(dir(builtins)) - {"print"}
# Methods that are also numpy functions of the array: `a.sum(1)` is `np.sum(a, 1)`.
ARRAY_METHODS = frozenset({"sum", "mean", "max", "min", "argmax", "argmin", "clip", "dot",
                           "transpose", "reshape", "round", "prod", "std", "var", "all",
                           "any", "flatten", "ravel", "squeeze", "copy", "astype", "cumsum"})
# Attributes kept by name even on a student's object: they say what is done, not who wrote it.
KEPT_ATTRIBUTES = ARRAY_METHODS | frozenset({"T", "shape", "size", "ndim", "append", "extend",
                                             "item", "tolist", "fit", "predict", "score",
                                             "predict_proba", "coefs_", "intercepts_",
                                             "loss_curve_", "normal", "uniform", "random",
                                             "integers", "default_rng", "seed"})
MATMUL_CALLS = frozenset({"numpy.dot", "numpy.matmul", "dot"})
SPELLING = {"math.exp": "exp", "numpy.exp": "exp", "math.log": "log", "numpy.log": "log",
            "math.sqrt": "sqrt", "numpy.sqrt": "sqrt", "numpy.transpose": "transpose"}
COMMUTATIVE = (ast.Add, ast.Mult)
COMPOUND = (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef)


def counting_loops(statements):
    """`i = 0; while i < n: ...; i += 1` becomes `for i in range(n): ...` (statements
    is a list of ast statements; a new list is returned, the nodes are not changed)."""
    out, skip = [], False
    for first, second in zip(statements, statements[1:] + [None]):
        if skip:
            skip = False
            continue
        loop = counting_loop(first, second)
        out.append(loop or first)
        skip = loop is not None
    return out


def counting_loop(start, loop):
    """The For equivalent of `start` and `loop`, or None when they are not a counting loop."""
    if not (isinstance(start, ast.Assign) and len(start.targets) == 1
            and isinstance(start.targets[0], ast.Name) and isinstance(start.value, ast.Constant)
            and start.value.value == 0 and isinstance(loop, ast.While) and not loop.orelse):
        return None
    name, test, step = start.targets[0].id, loop.test, loop.body[-1]
    if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == name and len(test.ops) == 1 and isinstance(test.ops[0], ast.Lt)
            and isinstance(step, ast.AugAssign) and isinstance(step.target, ast.Name)
            and step.target.id == name and isinstance(step.op, ast.Add)
            and isinstance(step.value, ast.Constant) and step.value.value == 1
            and not any(isinstance(n, ast.Continue) for n in ast.walk(loop))):
        return None
    counter = ast.Call(ast.Name("range", ast.Load()), [test.comparators[0]], [])
    return ast.For(ast.Name(name, ast.Store()), counter, loop.body[:-1], [],
                   lineno=start.lineno)
