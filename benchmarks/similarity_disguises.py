"""Independent benchmark students and disguised copies (for similarity_bench.py).

A student takes one implementation of each function (similarity_solutions.py), drops some
optional lines and names things in a convention of their own; a copier disguises a
student's notebook at a level, each level adding to the ones before it (7 stands alone).
"""
import ast

from similarity_solutions import ANSWER_PHRASES, DEMOS, FUNCTIONS
from similarity_varied import FUNCTIONS as VARIED, expand

# The honest classes: "varied" (the default) chooses inside each style per student, "styles"
# (a stress class) takes each style as written, so independent students who pick the same
# styles share long functions token for token.
CLASSES = {"varied": VARIED, "styles": FUNCTIONS}

LEVELS = {1: "comments, formatting", 2: "+ renaming", 3: "+ reordering", 4: "+ dead code",
          5: "+ rewrites", 6: "+ loop<->vectorised", 7: "one function only"}
KEEP = set(FUNCTIONS) | {"X", "y", "X_xor", "y_xor", "np", "MLPClassifier", "warnings",
                         "ConvergenceWarning", "load_data", "plot_data", "plot_losses",
                         "plot_xy_2D_model", "plot_hidden_representation", "_with_bias",
                         "XOR_HIDDEN", "ANSWER_TASK1", "ANSWER_TASK2", "ANSWER_TASK5",
                         "Trainer", "descent_step", "self", "print", "range", "len", "zip",
                         "float", "int", "abs", "dict", "bool", "round", "str"}
CONVENTIONS = [lambda n: n, lambda n: "my_" + n, lambda n: n + "_",
               lambda n: "".join(p.capitalize() if i else p
                                 for i, p in enumerate(n.split("_"))) or n,
               lambda n: {"W1": "vahy1", "w2": "vahy2", "losses": "ztraty", "alpha": "alfa",
                          "Z": "skryta"}.get(n, "v_" + n)]


def student(rng, convention=None, klass="varied"):
    """{grade_id: source} of one independent student of a class of CLASSES."""
    cells = {name: rng.choice(variants) for name, variants in CLASSES[klass].items()}
    cells = {name: drop_optional(expand(src, rng), rng) for name, src in cells.items()}
    cells.update({cell: rng.choice(options) for cell, options in DEMOS.items()})
    for cell, phrases in ANSWER_PHRASES.items():
        cells[cell] = " ".join(rng.sample(phrases, rng.randint(2, 3)))
    rename_all(cells, convention or rng.choice(CONVENTIONS))
    return cells


def drop_optional(source, rng):
    return "\n".join(line for line in source.splitlines()
                     if not line.rstrip().endswith("#?") or rng.random() < 0.5) + "\n"


def is_code(cell):
    return cell not in ANSWER_PHRASES


def rename_all(cells, convention):
    for cell in [c for c in cells if is_code(c)]:
        tree = ast.parse(cells[cell])
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in KEEP:
                node.id = convention(node.id)
            elif isinstance(node, ast.arg) and node.arg not in KEEP:
                node.arg = convention(node.arg)
        cells[cell] = ast.unparse(tree)


def reformat(cells, rng):
    """Comments on some lines, blank lines between others."""
    for cell in [c for c in cells if is_code(c)]:
        out = []
        for line in cells[cell].splitlines():
            indent = line[:len(line) - len(line.lstrip())]
            if rng.random() < 0.3:
                out.append(f"{indent}# {rng.choice(['compute', 'update', 'helper', 'todo'])}")
            out.append(line + ("  # ok" if rng.random() < 0.2 else ""))
            if rng.random() < 0.15 and not line.rstrip().endswith(":"):
                out.append("")
        cells[cell] = "\n".join(out)


def reorder(cells, rng):
    """The function cells' contents permuted among themselves."""
    names = [c for c in FUNCTIONS if c in cells]
    contents = [cells[c] for c in names]
    rng.shuffle(contents)
    cells.update(zip(names, contents))


class DeadCode(ast.NodeTransformer):
    def __init__(self, rng):
        self.rng, self.count = rng, 0

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        body = []
        for statement in node.body:
            if self.rng.random() < 0.4 and not isinstance(statement, ast.Return):
                self.count += 1
                k = self.count   # dead stores, prints, and branches that never run but
                body.extend(ast.parse(self.rng.choice([   # whose condition is not constant
                    f"unused_{k} = {k} * 0",
                    f"print('debug {k}')",
                    f"tmp_{k} = len(str({k}))",
                    f"if len(str({k})) > 99:\n    print('never')\n    flag_{k} = {k}",
                    f"checks_{k} = [{k}]\nif not checks_{k}:\n    raise ValueError({k})",
                ])).body)
            body.append(statement)
        node.body = body
        return node


class Rewrite(ast.NodeTransformer):
    """a @ b -> np.dot(a, b); x = x + e -> x += e; np.sum(a) / np.mean(a) -> a.sum();
    `for i in range(n): body` -> `i = 0; while i < n: body; i += 1`."""

    def __init__(self, rng):
        self.rng = rng

    def visit_For(self, node):
        self.generic_visit(node)
        iterator = node.iter
        if not (isinstance(node.target, ast.Name) and isinstance(iterator, ast.Call)
                and isinstance(iterator.func, ast.Name) and iterator.func.id == "range"
                and len(iterator.args) == 1 and not node.orelse
                and not any(isinstance(n, ast.Continue) for n in ast.walk(node))
                and self.rng.random() < 0.7):
            return node
        name = node.target.id
        start = ast.parse(f"{name} = 0").body[0]
        step = ast.parse(f"{name} += 1").body[0]
        test = ast.Compare(ast.Name(name, ast.Load()), [ast.Lt()], [iterator.args[0]])
        return [start, ast.While(test, node.body + [step], [])]

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.MatMult):
            return ast.Call(ast.Attribute(ast.Name("np", ast.Load()), "dot", ast.Load()),
                            [node.left, node.right], [])
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        value = node.value
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(value, ast.BinOp) and isinstance(value.left, ast.Name) \
                and value.left.id == node.targets[0].id:
            return ast.AugAssign(node.targets[0], value.op, value.right)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "np" and func.attr in ("sum", "mean") \
                and len(node.args) == 1:
            return ast.Call(ast.Attribute(node.args[0], func.attr, ast.Load()), [],
                            node.keywords)
        return node


def transform(cells, transformer):
    for cell in [c for c in cells if is_code(c)]:
        cells[cell] = ast.unparse(ast.fix_missing_locations(transformer.visit(
            ast.parse(cells[cell]))))


def disguise(original, level, rng, picks, klass="varied"):
    """A copy of `original` ({grade_id: source}, before renaming) disguised at `level`."""
    cells = dict(original)
    if level >= 6:   # one function re-implemented in another style (loops <-> vectorised)
        name = rng.choice(["forward", "gradients", "loss"])
        other = rng.choice([v for v in CLASSES[klass][name] if v != picks[name]])
        cells[name] = expand(other, rng)
    if level >= 5:
        transform(cells, Rewrite(rng))
    if level >= 4:
        transform(cells, DeadCode(rng))
    if level >= 2:
        rename_all(cells, lambda n: "q" + n.lower())
    if level >= 3:
        reorder(cells, rng)
    reformat(cells, rng)
    return cells
