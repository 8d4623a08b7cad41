"""ast.parse that any thread may call: the one place the kit turns source into an AST.

CPython 3.11 counts the depth of the AST objects it builds in state that all threads share:
when a garbage collection in the middle of one parse runs a finalizer that lets another
thread parse, the first fails with "SystemError: AST constructor recursion depth mismatch"
(the message of cpython gh-106905).  The web service loads uploads in a thread pool, and 30
students uploading at once met it on 3.11.7 (tests/unit/submissions/test_pyparse.py's stress did not on
3.12.1 or 3.13.0).  Parsing takes one process-wide lock; it costs nothing in one thread.

An expression nested deeper than CPython's compiler goes (about 200 brackets, a few
thousand unary operators or lambdas, ~1000 levels of a chain such as `a+a+...` or
`f()()...`) makes the parser raise MemoryError ("parser stack overflowed") or
RecursionError ("during ast construction/compilation") instead of SyntaxError; both guards
fire before the C stack is at risk, and the source they see is capped beforehand
(bounds.MAX_SOURCE_CHARS), so the memory they cost is too.  They become TooDeep here.
A lone surrogate (an escaped one in notebook JSON) raises UnicodeEncodeError, which becomes
the SyntaxError it is.
"""
import ast
import symtable
import threading

_lock = threading.Lock()


class TooDeep(ValueError):
    """Source nested deeper than CPython's parser or compiler accepts."""

    def __init__(self, filename):
        super().__init__(f"{filename}: an expression is nested deeper than Python's "
                         "compiler accepts (its parser stack or recursion limit)")


def parse(source, filename="<unknown>"):
    """ast.parse(source), one thread at a time; raises SyntaxError as ast.parse does, and
    TooDeep for source nested beyond the compiler's limits."""
    with _lock:
        try:
            return ast.parse(source, filename)
        except (RecursionError, MemoryError):
            raise TooDeep(filename) from None
        except UnicodeEncodeError as exc:
            raise unencodable(exc, filename) from None


def symbols(source, filename="<unknown>"):
    """symtable.symtable(source, filename, "exec"); SyntaxError or TooDeep as parse."""
    try:
        return symtable.symtable(source, filename, "exec")
    except (RecursionError, MemoryError):
        raise TooDeep(filename) from None
    except UnicodeEncodeError as exc:
        raise unencodable(exc, filename) from None


def unencodable(exc, filename):
    """A lone surrogate (JSON can escape one) cannot reach the compiler: a SyntaxError, as
    compiling it in the sandbox reports too."""
    return SyntaxError(f"{filename}: character {exc.object[exc.start]!r} at {exc.start} "
                       "cannot be encoded as UTF-8")
