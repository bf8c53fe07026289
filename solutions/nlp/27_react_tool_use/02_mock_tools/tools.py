"""Reference solution for nlp-27-2."""
from __future__ import annotations

import ast
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from fractions import Fraction

from rank_bm25 import BM25Okapi

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
    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if b == 0:
                raise ValueError("division by zero")
            return a / b
        raise ValueError("only numbers, + - * / and parentheses are allowed")
    try:
        value = ev(ast.parse(expression.strip(), mode="eval"))
    except SyntaxError as err:
        raise ValueError(f"cannot parse {expression!r}") from err
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


class SearchTool:
    def __init__(self, titles: Sequence[str], texts: Sequence[str]) -> None:
        if len(titles) != len(texts) or not texts:
            raise ValueError("need as many titles as texts, and at least one document")
        self.titles, self.texts = list(titles), list(texts)
        self.bm25 = BM25Okapi([t.lower().split() for t in texts])

    def __call__(self, query: str, k: int = 3) -> str:
        scores = self.bm25.get_scores(query.lower().split())
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        hits = [i for i in order if scores[i] > 0][:k]
        if not hits:
            return "No results."
        return "\n".join(f"[{i}] {self.titles[i]}: {self.texts[i][:80]}" for i in hits)


def run_code(source: str, timeout_s: float = 2.0, memory_mb: int = 256) -> dict[str, str]:
    """Run source in a sandboxed child: RLIMIT_AS = memory_mb * 2**20 bytes, RLIMIT_CPU = max(1, int(timeout_s) + 1)
    seconds, wall-clock timeout timeout_s, cwd a fresh temporary directory."""
    def limits() -> None:
        cap = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = max(1, int(timeout_s) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    with tempfile.TemporaryDirectory() as sandbox:
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            proc = subprocess.run([sys.executable, "-I", "-c", PRELUDE + "\n" + source], cwd=sandbox, env=env,
                                  capture_output=True, text=True, timeout=timeout_s, preexec_fn=limits)
        except subprocess.TimeoutExpired as err:
            out = err.stdout.decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
            return {"status": "timeout", "stdout": out, "stderr": ""}
    if proc.returncode == 0:
        status = "ok"
    elif "MemoryError" in proc.stderr:
        status = "memory"
    else:
        status = "error"
    return {"status": status, "stdout": proc.stdout, "stderr": proc.stderr}
