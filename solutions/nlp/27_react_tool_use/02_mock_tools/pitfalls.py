"""Plausible wrong tools that the tests must reject."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tools import PRELUDE


@pitfall(replaces="calculator", why="floating-point arithmetic (1/3 + 1/6 gives 0.5 only by luck, 0.1 + 0.2 does not)")
def floats(expression: str) -> str:
    import ast
    if not all(isinstance(n, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Constant | ast.operator | ast.unaryop)
               for n in ast.walk(ast.parse(expression, mode="eval"))):
        raise ValueError("not arithmetic")
    try:
        value = eval(expression, {"__builtins__": {}})  # noqa: S307
    except ZeroDivisionError as err:
        raise ValueError("division by zero") from err
    return str(int(value)) if float(value).is_integer() else repr(value)


@pitfall(replaces="SearchTool.__call__", why="returns k documents even when they score zero")
def pads_with_zero_scores(self, query: str, k: int = 3) -> str:  # noqa: ANN001
    scores = self.bm25.get_scores(query.lower().split())
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    return "\n".join(f"[{i}] {self.titles[i]}: {self.texts[i][:80]}" for i in order)


@pitfall(replaces="run_code", why="no prelude and the caller's working directory: writes escape the sandbox")
def no_sandbox(source: str, timeout_s: float = 2.0, memory_mb: int = 256) -> dict[str, str]:
    try:
        proc = subprocess.run([sys.executable, "-I", "-c", source], capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "stdout": "", "stderr": ""}
    status = "ok" if proc.returncode == 0 else ("memory" if "MemoryError" in proc.stderr else "error")
    return {"status": status, "stdout": proc.stdout, "stderr": proc.stderr}


@pitfall(replaces="run_code", why="no memory limit: a memory bomb is not reported as 'memory' (simulated by shrinking "
         "the bomb, so that checking this pitfall never allocates 4 GB on the shared machine)")
def no_memory_cap(source: str, timeout_s: float = 2.0, memory_mb: int = 256) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as sandbox:
        try:
            proc = subprocess.run([sys.executable, "-I", "-c", PRELUDE + "\n" + source.replace("4 * 10**9", "10")],
                                  cwd=sandbox, env={"PATH": os.environ.get("PATH", "")}, capture_output=True,
                                  text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "stdout": "", "stderr": ""}
    status = "ok" if proc.returncode == 0 else ("memory" if "MemoryError" in proc.stderr else "error")
    return {"status": status, "stdout": proc.stdout, "stderr": proc.stderr}
