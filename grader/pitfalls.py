"""Marking plausible wrong implementations that a kata's tests must reject.

A kata's `solutions/.../pitfalls.py` is executed inside a fresh copy of its solution module, so a
pitfall can use the solution's imports and helpers. Each decorated function or class replaces one
name of the solution (`replaces="attention"` or a method, `replaces="Block.forward"`); the solution's
other functions then call the wrong version, exactly as they would call a learner's.

    @pitfall(replaces="attention", why="forgets the 1/sqrt(d_k) scale")
    def unscaled(q, k, v): ...
"""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PitfallInfo:
    name: str
    replaces: str
    why: str


def pitfall(*, replaces: str, why: str) -> Callable[[T], T]:
    def mark(obj: T) -> T:
        obj.__pitfall__ = PitfallInfo(getattr(obj, "__name__", "?"), replaces, why)  # type: ignore[attr-defined]
        return obj

    return mark


def declared(path: Path) -> list[PitfallInfo]:
    """The pitfalls a file declares, read with `ast` so nothing is imported or run."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError):
        return []
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and getattr(dec.func, "id", getattr(dec.func, "attr", "")) == "pitfall":
                kw = {k.arg: k.value.value for k in dec.keywords if isinstance(k.value, ast.Constant)}
                found.append(PitfallInfo(node.name, str(kw.get("replaces", "")), str(kw.get("why", ""))))
    return found


def borrowed(path: Path) -> dict[str, int]:
    """Names a pitfalls file declares it borrows from its solution (`if TYPE_CHECKING:` imports), with lines."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError):
        return {}
    names: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.ImportFrom | ast.Import):
                    names.update({(a.asname or a.name).split(".")[0]: stmt.lineno for a in stmt.names})
    return names


def top_level_names(path: Path) -> set[str]:
    """Names a module binds at top level: definitions, assignments and imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) and node in tree.body:
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def borrow_problems(pitfalls_file: Path, solution: Path) -> list[str]:
    """Borrowed names the solution does not define: the pitfall would die of a NameError, not its mistake."""
    wanted = borrowed(pitfalls_file)
    if not wanted or not solution.exists():
        return []
    try:
        have = top_level_names(solution)
    except SyntaxError:
        return []
    return [f"pitfalls.py line {line} borrows {name!r} from the solution, which does not define it"
            for name, line in sorted(wanted.items()) if name not in have]
