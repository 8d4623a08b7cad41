"""A cell's code as regions (each function or method, and the cell's other code), each a
normalised token stream (tokens.py) with the lines it came from.

A cell that does not parse is parsed without the few lines its SyntaxErrors point at (those
are lexed), or else block by block, and blocks that still do not parse are read by a plain
lexer (names `V` too): a notebook with a syntax error is still compared.
"""
import ast
import re
from dataclasses import dataclass, field

from .parsing import Context, parse_cell
from .spellings import BUILTINS, COMPOUND
from .tokens import Emitter

LEXEME = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*(?:[eE][-+]?\d+)?|==|!=|<=|>=|\*\*|//|->|\S")
KEYWORDS = frozenset({"def", "return", "for", "while", "if", "else", "elif", "in", "not",
                      "and", "or", "lambda", "class", "import", "from", "as", "with", "try",
                      "except", "True", "False", "None", "yield", "break", "continue"})


@dataclass
class Region:
    """A function (or method) or the other code of one cell: tokens and their lines.

    tokens: [str], lines: [int] of the same length (1-based, within the cell);
    statements: [(tokens of one statement or loop/if header, its line)].
    """

    cell: str
    name: str = ""                      # function name; "" for a cell's top-level code
    tokens: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    statements: list = field(default_factory=list)


def cell_regions(cell, blocks, starter=frozenset(), context=None):
    """The regions of one code cell, parsed by parse_cell; statements whose normalised
    tokens are in `starter` (the release's own statements) are left out.  Module-level
    names in capitals are answers the graders read, never dead code."""
    context = context or Context([blocks])
    rest = Region(cell)
    regions = [rest]
    emitter = Emitter(context)
    for start, tree in blocks:
        if isinstance(tree, str):   # did not parse: lexed, one region per block
            regions.append(lexed_region(cell, tree))
            continue
        for node in tree.body:
            functions = [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else [n for n in node.body if isinstance(n, ast.FunctionDef)] \
                if isinstance(node, ast.ClassDef) else []
            if functions:
                for function in functions:
                    region = Region(cell, function.name)
                    emitter.function(function, region, starter)
                    regions.append(region)
                continue
            emitter.statement(node, rest, starter, top=True)
    return [r for r in regions if r.tokens]


def lexed_region(cell, text):
    """Tokens of code that does not parse: names are `V` unless keywords or builtins."""
    region = Region(cell, "")
    for number, line in enumerate(text.splitlines(), 1):
        for lexeme in LEXEME.findall(line.split("#", 1)[0]):
            word = lexeme[0].isalpha() or lexeme[0] == "_"
            keep = lexeme in KEYWORDS or lexeme in BUILTINS or not word
            region.tokens.append(lexeme if keep else "V")
            region.lines.append(number)
    return region


def statement_keys(sources):
    """The normalised tokens of every simple statement of the cells `sources` (at any
    depth), as a set of tuples: the release's statements, left out of students' streams."""
    parsed = [parse_cell(source) for source in sources]
    emitter, keys = Emitter(Context(parsed)), set()
    for blocks in parsed:
        for _, tree in blocks:
            if isinstance(tree, str):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.stmt) and not isinstance(node, COMPOUND):
                    tokens = []
                    emitter.expression(node, tokens)
                    keys.add(tuple(tokens))
    return keys
