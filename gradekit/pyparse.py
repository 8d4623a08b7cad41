"""ast.parse that any thread may call: the one place the kit turns source into an AST.

CPython 3.11 (and 3.12 before 3.12.1) counts the depth of the AST objects it builds in state
that all threads share, so two threads parsing at once can fail with "SystemError: AST
constructor recursion depth mismatch" (cpython gh-106905).  The web service loads uploads in
a thread pool, so 30 students uploading at once hit it: parsing takes one process-wide lock.
"""
import ast
import threading

_lock = threading.Lock()


def parse(source, filename="<unknown>"):
    """ast.parse(source), one thread at a time; raises SyntaxError as ast.parse does."""
    with _lock:
        return ast.parse(source, filename)
