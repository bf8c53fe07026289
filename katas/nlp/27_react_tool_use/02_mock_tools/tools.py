"""nlp-27-2: mock tools for an agent: exact calculator, corpus search, sandboxed code executor.
Edit this file; `grader check nlp-27-2` tests it."""
from __future__ import annotations

import ast  # noqa: F401
import os  # noqa: F401
import resource  # noqa: F401
import subprocess  # noqa: F401
import sys  # noqa: F401
import tempfile  # noqa: F401
from collections.abc import Sequence
from fractions import Fraction  # noqa: F401

from rank_bm25 import BM25Okapi  # noqa: F401

# Given: code run before the user's code in the child process: refuses writes outside the working directory
# (the sandbox) and any network connection.
PRELUDE = '''
import builtins, os, socket
_root = os.path.realpath(os.getcwd())
_open = builtins.open
def _guarded_open(file, mode="r", *args, **kwargs):
    if any(m in mode for m in "wax+") and not os.path.realpath(str(file)).startswith(_root + os.sep):
        raise PermissionError(f"writing outside the sandbox is not allowed: {file}")
    return _open(file, mode, *args, **kwargs)
builtins.open = _guarded_open
def _no_network(*args, **kwargs):
    raise PermissionError("network access is not allowed")
socket.socket = _no_network
socket.create_connection = _no_network
del builtins, socket
'''


def calculator(expression: str) -> str:
    """Evaluate +, -, *, / over integer and decimal literals (and parentheses, unary signs) EXACTLY with
    fractions.Fraction, by walking the Python AST (never eval). Returns "n" for an integer result, else "p/q"
    in lowest terms (negative sign on p).

    Raises:
        ValueError: for division by zero, a syntax error or anything but numbers and those operators.
    """
    raise NotImplementedError("calculator: AST walk over Fractions")


class SearchTool:
    """Search over a small corpus with rank_bm25.BM25Okapi on lower-cased whitespace tokens.

    __call__(query, k=3) -> text: the documents with a positive score, best first (ties: lower index), at most k,
    one line each "[{index}] {title}: {first 80 characters of the text}"; "No results." if none.

    Raises:
        ValueError: in __init__ if titles and texts differ in length or the corpus is empty.
    """

    def __init__(self, titles: Sequence[str], texts: Sequence[str]) -> None:
        raise NotImplementedError("SearchTool.__init__: tokenise, build the BM25 index")

    def __call__(self, query: str, k: int = 3) -> str:
        raise NotImplementedError("SearchTool.__call__: score, rank, format")


def run_code(source: str, timeout_s: float = 2.0, memory_mb: int = 256) -> dict[str, str]:
    """Run untrusted Python in a child process: `python -I -c PRELUDE + source`, working directory a fresh
    temporary directory (deleted afterwards), a minimal environment, address space capped at memory_mb MiB
    (resource.RLIMIT_AS, soft = hard = memory_mb * 2**20 bytes) and CPU time limited (RLIMIT_CPU, soft = hard =
    max(1, int(timeout_s) + 1) seconds: a backstop just past the wall clock), wall-clock timeout timeout_s.

    Returns {"status", "stdout", "stderr"}; status "ok" (exit 0), "timeout" (killed at the timeout),
    "memory" (a MemoryError in stderr) or "error" (any other failure).
    """
    raise NotImplementedError("run_code: subprocess.run with preexec_fn limits, cwd in a temp dir, a timeout")
