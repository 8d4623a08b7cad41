"""ast.parse that any thread may call: the one place the kit turns source into an AST.

CPython 3.11 counts the depth of the AST objects it builds in state that all threads share:
when a garbage collection in the middle of one parse runs a finalizer that lets another
thread parse, the first fails with "SystemError: AST constructor recursion depth mismatch"
(the message of cpython gh-106905).  The web service loads uploads in a thread pool, and 30
students uploading at once met it on 3.11.7 (tests/test_pyparse.py's stress did not on
3.12.1 or 3.13.0).  Parsing takes one process-wide lock; it costs nothing in one thread.
"""
import ast
import threading

_lock = threading.Lock()


def parse(source, filename="<unknown>"):
    """ast.parse(source), one thread at a time; raises SyntaxError as ast.parse does."""
    with _lock:
        return ast.parse(source, filename)
