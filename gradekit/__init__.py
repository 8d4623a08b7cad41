"""gradekit: sandboxed autograding for Jupyter-based ML exercises."""

__version__ = "0.1.0"
