"""get_ipython() for notebooks run in the sandbox (child.py), without IPython."""


class FakeIPython:
    """Enough of get_ipython() for notebooks: magics that wrap Python run it, others do nothing."""

    PYTHON_MAGICS = {"time", "timeit", "capture", "prun"}

    def __init__(self, namespace):
        self.user_ns = namespace

    def run_line_magic(self, name, line, *_):
        if name in self.PYTHON_MAGICS and line.strip():
            exec(compile(line, f"<%{name}>", "exec"), self.user_ns)

    def run_cell_magic(self, name, line, cell):
        if name in self.PYTHON_MAGICS:
            exec(compile(cell, f"<%%{name}>", "exec"), self.user_ns)

    def system(self, *_):
        return None

    def getoutput(self, *_):
        return []

    def __getattr__(self, name):
        # Anything else (input transformers, events, display hooks) is accepted and ignored:
        # cells were already transformed by the trusted side, so nothing here can rewrite them.
        return FakeIPython.Ignored()

    class Ignored:
        def __call__(self, *args, **kwargs):
            return FakeIPython.Ignored()

        def __getattr__(self, name):
            return FakeIPython.Ignored()
