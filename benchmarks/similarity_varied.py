"""The benchmark's default honest class: the styles of similarity_solutions.py with choices
inside each implementation, made independently per student (for similarity_bench.py only).

Independent students who pick the same style still differ in the small decisions the
engine's normalisation keeps: statement order where it does not matter, intermediate
variables or not, equivalent arrangements of a formula, guards, loop forms.  Templates:
`<<a||b||c>>` is one of the alternatives (may nest, may span lines), a run of lines ending
`#~` is shuffled (a line ending `#~+` moves with the line above), `#?` marks an optional
line as in similarity_solutions.py.

    python benchmarks/similarity_varied.py      # checks generated students against the reference
"""
import importlib.util
import random
import re
from pathlib import Path

from similarity_solutions import FUNCTIONS as STYLES
from similarity_varied_long import FORWARD, GRADIENTS, LOSS

CHOICE = re.compile(r"<<((?:(?!<<|>>).)*?)>>", re.S)   # innermost first

SIGMOID = STYLES["sigmoid"] + [
    '''def sigmoid(a):
    <<a = np.asarray(a, dtype=float)
    ||>>return <<1 / (1 + np.exp(-a))||1.0 / (1.0 + np.exp(-np.clip(a, -60, 60)))>>
''',
]

INIT_WEIGHTS = STYLES["init_weights"] + [
    '''def init_weights(n_hidden=2, seed=None):
    <<rng = np.random.default_rng(seed)||rng = np.random.default_rng(seed=seed)>>
    W1 = <<rng.uniform(-0.5, 0.5, (n_hidden, 3))||rng.random((n_hidden, 3)) - 0.5||0.1 * rng.standard_normal((n_hidden, 3))>>  #~
    w2 = <<rng.uniform(-0.5, 0.5, n_hidden + 1)||rng.random(n_hidden + 1) - 0.5||0.1 * rng.standard_normal(n_hidden + 1)>>  #~
    return W1, w2
''',
]

PREDICT = STYLES["predict"] + [
    '''def predict(X, W1, w2):
    <<probabilities = forward(X, W1, w2)[1]||Z, probabilities = forward(X, W1, w2)>>
    <<labels = np.zeros(len(probabilities), dtype=int)
    labels[probabilities >= 0.5] = 1
    return labels||return (probabilities > 0.5).astype(int)||return np.round(probabilities).astype(int)>>
''',
]

TRAIN = [
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    <<W1, w2 = W1.copy(), w2.copy()||W1 = np.array(W1, dtype=float)
    w2 = np.array(w2, dtype=float)>>
    losses = []  #~
    previous = <<np.inf||float("inf")>>  #~
    for <<_ in range(epochs)||epoch in range(1, epochs + 1)>>:
        dW1, dw2 = gradients(X, y, W1, w2)
        <<W1 = W1 - alpha * dW1||W1 -= alpha * dW1>>  #~
        <<w2 = w2 - alpha * dw2||w2 -= alpha * dw2>>  #~
        <<current = loss(y, forward(X, W1, w2)[1])||_, y_hat = forward(X, W1, w2)
        current = loss(y, y_hat)>>
        losses.append(current)
        <<if previous - current < eps:
            break
        previous = current||improvement = previous - current
        previous = current
        if improvement < eps:
            break>>
    return W1, w2, losses
''',
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    A, b = np.array(W1, dtype=float), np.array(w2, dtype=float)
    history = []  #~
    epoch = 0  #~
    while epoch < epochs:
        <<gA, gb = gradients(X, y, A, b)
        A -= alpha * gA
        b -= alpha * gb||grads = gradients(X, y, A, b)
        A -= alpha * grads[0]
        b -= alpha * grads[1]>>
        <<history.append(loss(y, forward(X, A, b)[1]))||_, out = forward(X, A, b)
        history.append(loss(y, out))>>
        <<if len(history) > 1 and history[-2] - history[-1] < eps:
            break||if len(history) >= 2:
            if history[-2] - history[-1] < eps:
                break||if epoch > 0 and history[-1] > history[-2] - eps:
            break>>
        epoch += 1
    return A, b, history
''',
    '''class Trainer:
    def __init__(self, alpha, eps):
        self.alpha = alpha  #~
        self.eps = eps  #~
        self.losses = []  #~

    def step(self, X, y, W1, w2):
        dW1, dw2 = gradients(X, y, W1, w2)
        <<W1 = W1 - self.alpha * dW1
        w2 = w2 - self.alpha * dw2||W1, w2 = W1 - self.alpha * dW1, w2 - self.alpha * dw2>>
        self.losses.append(loss(y, forward(X, W1, w2)[1]))
        return W1, w2

    def converged(self):
        <<return len(self.losses) > 1 and self.losses[-2] - self.losses[-1] < self.eps||if len(self.losses) < 2:
            return False
        return self.losses[-2] - self.losses[-1] < self.eps>>


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    W1, w2 = np.array(W1, dtype=float), np.array(w2, dtype=float)  #?
    trainer = Trainer(alpha, eps)
    for _ in range(epochs):
        W1, w2 = trainer.step(X, y, W1, w2)
        <<if trainer.converged():
            break||if trainer.converged():
            return W1, w2, trainer.losses||done = trainer.converged()
        if done:
            break>>
    return W1, w2, trainer.losses
''',
    '''def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    alpha = float(alpha)  #?
    assert epochs > 0  #?
    params = [<<W1.copy(), w2.copy()||np.array(W1), np.array(w2)>>]
    losses = [loss(y, forward(X, *params)[1])]
    for k in range(epochs):
        grads = gradients(X, y, *params)
        <<params = [p - alpha * g for p, g in zip(params, grads)]||params = [params[0] - alpha * grads[0], params[1] - alpha * grads[1]]>>
        <<losses.append(loss(y, forward(X, *params)[1]))||_, y_hat = forward(X, params[0], params[1])
        losses.append(loss(y, y_hat))>>
        <<if losses[-2] - losses[-1] < eps:||if losses[-1] > losses[-2] - eps:>>
            break
    return params[0], params[1], losses[1:]
''',
    '''def descent_step(X, y, W1, w2, alpha):
    <<dW1, dw2 = gradients(X, y, W1, w2)
    return W1 - alpha * dW1, w2 - alpha * dw2||grads = gradients(X, y, W1, w2)
    return W1 - alpha * grads[0], w2 - alpha * grads[1]>>


def train(X, y, W1, w2, alpha=2.0, epochs=20000, eps=1e-7):
    y = np.asarray(y, dtype=float)  #?
    assert epochs > 0  #?
    losses = []
    for <<_ in range(epochs)||epoch in range(epochs)>>:
        W1, w2 = descent_step(X, y, W1, w2, alpha)
        <<losses.append(loss(y, forward(X, W1, w2)[1]))||current = loss(y, forward(X, W1, w2)[1])
        losses.append(current)>>
        <<if len(losses) > 1 and losses[-2] - losses[-1] < eps:
            break||if len(losses) >= 2 and losses[-2] - losses[-1] < eps:
            break||if len(losses) > 1:
            if losses[-2] - losses[-1] < eps:
                break>>
    return W1, w2, losses
''',
]

FUNCTIONS = {"sigmoid": SIGMOID, "init_weights": INIT_WEIGHTS, "forward": FORWARD,
             "loss": LOSS, "gradients": GRADIENTS, "train": TRAIN, "predict": PREDICT,
             "make_mlp_221": STYLES["make_mlp_221"], "make_xor_mlp": STYLES["make_xor_mlp"]}


def expand(template, rng):
    """One student's source from a template (shuffles, then choices; `#?` lines are left
    for drop_optional).  A template without markers consumes nothing from rng."""
    if "#~" in template:
        template = shuffled(template, rng)
    while "<<" in template:
        chosen = CHOICE.sub(lambda m: rng.choice(m.group(1).split("||")), template, 1)
        if chosen == template:
            raise ValueError(f"unbalanced << >> in template:\n{template}")
        template = chosen
    return template


def shuffled(template, rng):
    out, run = [], []
    for line in template.splitlines() + [""]:
        stripped = line.rstrip()
        if stripped.endswith("#~+") and run:
            run[-1].append(stripped[:-3].rstrip())
        elif stripped.endswith("#~"):
            run.append([stripped[:-2].rstrip()])
        else:
            rng.shuffle(run)
            out.extend(part for unit in run for part in unit)
            run = []
            out.append(line)
    return "\n".join(out[:-1]) + "\n"


def check(students=200):
    """Every function of `students` generated students (both classes) agrees with the
    reference on fixed inputs; raises AssertionError on the first that does not."""
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    from similarity_disguises import student
    where = Path(__file__).resolve().parent.parent / "reference" / "ML06" / "mlp.py"
    spec = importlib.util.spec_from_file_location("reference_mlp", where)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 2)), (rng.random(7) < 0.5).astype(float)
    W1, w2 = ref.init_weights(3, seed=1)
    np.seterr(over="ignore", divide="ignore")   # 1 / (1 + exp(800)) is a fine 0
    for klass in ("varied", "styles"):
        for number in range(students):
            cells = student(random.Random(number), klass=klass)
            space = {"np": np, "MLPClassifier": MLPClassifier, "_with_bias": ref._with_bias}
            for name in FUNCTIONS:
                exec(cells[name], space)
            where = f"{klass} student {number}"
            close = lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9,
                                                            err_msg=where)
            close(space["sigmoid"](np.array([-800.0, -3, 0, 2, 800])),
                  ref.sigmoid(np.array([-800.0, -3, 0, 2, 800])))
            for got, want in zip(space["forward"](X, W1, w2), ref.forward(X, W1, w2)):
                close(got, want)
            y_hat = ref.forward(X, W1, w2)[1]
            close(space["loss"](y, y_hat), ref.loss(y, y_hat))
            for got, want in zip(space["gradients"](X, y, W1, w2), ref.gradients(X, y, W1, w2)):
                close(got, want)
            for got, want in zip(space["train"](X, y, W1, w2, 0.5, 30, 0),
                                 ref.train(X, y, W1, w2, alpha=0.5, epochs=30, eps=0)):
                close(got, want)
            close(space["predict"](X, W1, w2), ref.predict(X, W1, w2))
            shapes = [np.shape(w) for w in space["init_weights"](3, 2)]
            assert shapes == [(3, 3), (4,)], where
            assert isinstance(space["make_mlp_221"](), MLPClassifier), where
    print(f"{students} students of each class agree with the reference")


if __name__ == "__main__":
    check()
