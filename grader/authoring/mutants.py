"""Mutants of a kata's reference solution: the mistakes ML code really has, made one at a time.

`grader verify --mutants` runs a kata's tests against every mutant of its solution. A mutant the
tests cannot tell from the solution (a *survivor*) is either a hole in the tests or an equivalent
program; equivalent ones are recorded in the kata's `kata.toml` with a reason:

    [[equivalent_mutants]]
    id = "softmax:axis-swap:1"
    why = "x is 1-D in every call the kata allows, so axis 0 and -1 are the same axis"

Only the functions the learner writes are mutated (those whose stub body raises
NotImplementedError); helpers the stub gives complete are not the learner's to get wrong.

A mutant's id is `<qualified function name>:<operator>:<n>`, n counting that operator's mutants
within that function in source order, so ids survive edits elsewhere in the file.
"""
from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Injected ahead of a mutant's code when it uses them: the "argmax takes the last tie" mistake.
_PRELUDE = '''
def __grader_last_argmax(x, axis=None, dim=None, keepdim=False, keepdims=False, **kw):
    import numpy as _np
    ax = dim if dim is not None else axis
    if hasattr(x, "flip") and not isinstance(x, _np.ndarray):
        if ax is None:
            return x.numel() - 1 - x.flatten().flip(0).argmax()
        n = x.shape[ax]
        return n - 1 - x.flip(ax).argmax(ax, keepdim=keepdim)
    a = _np.asarray(x)
    if ax is None:
        return a.size - 1 - _np.argmax(a.ravel()[::-1])
    n = a.shape[ax]
    return n - 1 - _np.argmax(_np.flip(a, ax), axis=ax, keepdims=keepdims)
'''

_REDUCERS = {"sum", "mean", "softmax", "log_softmax", "logsumexp", "max", "min", "argmax", "argmin", "cumsum",
             "std", "var", "norm", "prod", "any", "all", "amax", "amin", "nansum", "nanmean", "median", "sort",
             "argsort", "cumprod", "flip", "diff", "concatenate", "cat", "stack", "squeeze", "unsqueeze",
             "expand_dims", "take_along_axis", "gather", "topk"}
_AXIS_KW = {"axis", "dim"}
_SWAP_AXIS = {-1: -2, -2: -1, 0: 1, 1: 0}
_PAIRS = {"mean": "sum", "sum": "mean", "min": "max", "max": "min", "argmin": "argmax", "argmax": "argmin",
          "minimum": "maximum", "maximum": "minimum", "amin": "amax", "amax": "amin", "nanmin": "nanmax",
          "nanmax": "nanmin", "nanmean": "nansum", "nansum": "nanmean"}
_SCALE_FUNCS = {"sqrt", "rsqrt"}
_CASTS = {"astype", "to", "float", "double", "half", "type"}
_COPIES = {"copy", "clone"}


@dataclass(frozen=True)
class Mutant:
    id: str
    operator: str
    line: int
    before: str  # the source segment as written
    after: str  # what the mutant has instead
    source: str  # the whole mutated module

    def diff(self) -> str:
        return f"line {self.line}: - {self.before}\n{' ' * (len(str(self.line)) + 7)}+ {self.after}"


def learner_functions(stub_source: str) -> set[str]:
    """Qualified names of the functions and methods a stub leaves to the learner."""
    found: set[str] = set()

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if any(isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n) for n in ast.walk(node)):
                    found.add(prefix + node.name)
    visit(ast.parse(stub_source).body, "")
    return found


def _call_name(node: ast.AST) -> str:
    """`sum` for `x.sum(...)`, `np.sum(...)` and `sum(...)`."""
    if isinstance(node, ast.Call):
        f = node.func
        return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return ""


def _int_const(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return None


def _const(value: object) -> ast.expr:
    if isinstance(value, int) and value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _plus(node: ast.expr, k: int) -> ast.expr:
    return ast.BinOp(copy.deepcopy(node), ast.Add() if k > 0 else ast.Sub(), ast.Constant(abs(k)))


# An edit: (operator name, node to replace, replacement node or None to delete a statement).
Edit = tuple[str, ast.AST, ast.AST | None]


def _node_edits(node: ast.AST) -> Iterator[Edit]:
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        swap = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}.get(type(node.ops[0]))
        if swap:
            yield "boundary", node, ast.Compare(node.left, [swap()], node.comparators)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add | ast.Sub):
            op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
            yield "sign", node, ast.BinOp(node.left, op, node.right)
        if isinstance(node.op, ast.Div):
            yield "drop-divisor", node, node.left
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) and node.right.value in (0.5, -0.5):
            yield "drop-sqrt", node, node.left
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add | ast.Sub):
        op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        yield "sign", node, ast.AugAssign(node.target, op, node.value)
    if isinstance(node, ast.Constant) and type(node.value) is int and not isinstance(node.value, bool):
        for k in (1, -1):
            yield "off-by-one", node, _const(node.value + k)
    if isinstance(node, ast.Slice):
        for part in ("lower", "upper"):
            bound = getattr(node, part)
            if bound is not None and _int_const(bound) is None:  # constants are covered by off-by-one
                for k in (1, -1):
                    yield "slice-bound", node, ast.Slice(**{**{f: getattr(node, f) for f in ("lower", "upper", "step")},
                                                            part: _plus(bound, k)})
    if isinstance(node, ast.If) and node.body and all(isinstance(s, ast.Raise) for s in node.body) and not node.orelse:
        yield "drop-guard", node, None
    if isinstance(node, ast.Call):
        yield from _call_edits(node)


def _call_edits(node: ast.Call) -> Iterator[Edit]:
    name = _call_name(node)
    f = node.func
    if name == "range" and node.args:
        last = node.args[-1]
        if _int_const(last) is None:
            for k in (1, -1):
                yield "range-end", node, ast.Call(f, [*node.args[:-1], _plus(last, k)], node.keywords)
    if name in _REDUCERS:
        for i, kw in enumerate(node.keywords):
            v = _int_const(kw.value)
            if kw.arg in _AXIS_KW and v in _SWAP_AXIS:
                kws = list(node.keywords)
                kws[i] = ast.keyword(kw.arg, _const(_SWAP_AXIS[v]))
                yield "axis-swap", node, ast.Call(f, node.args, kws)
        # x.sum(-1): the first positional argument of a method reducer is its axis.
        if isinstance(f, ast.Attribute) and not (isinstance(f.value, ast.Name) and f.value.id in ("np", "torch", "F")) \
                and node.args and _int_const(node.args[0]) in _SWAP_AXIS:
            yield "axis-swap", node, ast.Call(f, [_const(_SWAP_AXIS[_int_const(node.args[0])]), *node.args[1:]],
                                              node.keywords)
        # np.sum(x, -1): the second.
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("np", "torch", "F") \
                and len(node.args) >= 2 and _int_const(node.args[1]) in _SWAP_AXIS:
            yield "axis-swap", node, ast.Call(f, [node.args[0], _const(_SWAP_AXIS[_int_const(node.args[1])]),
                                                  *node.args[2:]], node.keywords)
    for i, kw in enumerate(node.keywords):
        rest = node.keywords[:i] + node.keywords[i + 1:]
        if kw.arg in ("keepdim", "keepdims") and isinstance(kw.value, ast.Constant) and kw.value.value is True:
            yield "drop-keepdim", node, ast.Call(f, node.args, rest)
        if kw.arg == "ddof" and _int_const(kw.value) in (0, 1):
            yield "ddof", node, ast.Call(f, node.args, [*rest, ast.keyword("ddof", ast.Constant(1 - _int_const(kw.value)))])
        if kw.arg == "correction" and _int_const(kw.value) in (0, 1):
            yield "ddof", node, ast.Call(f, node.args,
                                         [*rest, ast.keyword("correction", ast.Constant(1 - _int_const(kw.value)))])
        if kw.arg == "unbiased" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool):
            yield "ddof", node, ast.Call(f, node.args, [*rest, ast.keyword("unbiased", ast.Constant(not kw.value.value))])
        if kw.arg == "dtype":
            yield "drop-cast", node, ast.Call(f, node.args, rest)
        if kw.arg == "generator":
            yield "global-rng", node, ast.Call(f, node.args, rest)
        if kw.arg == "random_state" and not (isinstance(kw.value, ast.Constant) and kw.value.value is None):
            yield "global-rng", node, ast.Call(f, node.args, [*rest, ast.keyword("random_state", ast.Constant(None))])
    if name in ("var", "std") and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "np" \
            and not any(kw.arg == "ddof" for kw in node.keywords):
        yield "ddof", node, ast.Call(f, node.args, [*node.keywords, ast.keyword("ddof", ast.Constant(1))])
    if name in _PAIRS and isinstance(f, ast.Attribute | ast.Name):
        other = copy.copy(f)
        if isinstance(other, ast.Attribute):
            other.attr = _PAIRS[name]
        else:
            other.id = _PAIRS[name]
        yield ("min-max" if "m" in name and "mean" not in name and "sum" not in name else "mean-sum"), node, \
            ast.Call(other, node.args, node.keywords)
    if name == "argmax" and (node.args or isinstance(f, ast.Attribute)):
        args = node.args if not (isinstance(f, ast.Attribute) and not (isinstance(f.value, ast.Name)
                                                                     and f.value.id in ("np", "torch"))) \
            else [f.value, *node.args]
        yield "argmax-last-tie", node, ast.Call(ast.Name("__grader_last_argmax", ast.Load()), args, node.keywords)
    if name in _SCALE_FUNCS:
        if isinstance(f, ast.Attribute) and not (isinstance(f.value, ast.Name) and f.value.id in ("np", "torch", "math")):
            yield "drop-sqrt", node, f.value
        elif node.args:
            yield "drop-sqrt", node, node.args[0]
    if name in _CASTS and isinstance(f, ast.Attribute) and not (isinstance(f.value, ast.Name)
                                                                and f.value.id in ("np", "torch")):
        yield "drop-cast", node, f.value
    if name in _COPIES and isinstance(f, ast.Attribute) and not node.args \
            and not (isinstance(f.value, ast.Name) and f.value.id in ("np", "torch", "copy")):
        yield "drop-copy", node, f.value
    if name in ("copy", "deepcopy") and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) \
            and f.value.id in ("np", "copy") and len(node.args) == 1:
        yield "drop-copy", node, node.args[0]
    if name in ("default_rng", "RandomState", "Random") and node.args:
        yield "global-rng", node, ast.Call(f, [], node.keywords)
    if name == "manual_seed" and isinstance(f, ast.Attribute) and node.args:
        fresh = ast.parse("int.from_bytes(__import__('os').urandom(4), 'little')", mode="eval").body
        yield "global-rng", node, ast.Call(f, [fresh], node.keywords)


def _fixed_value(arg: ast.arg) -> ast.expr | None:
    """What an ignored parameter without a default is replaced by: a plausible hard-coded value."""
    ann = ast.unparse(arg.annotation) if arg.annotation is not None else ""
    return {"int": ast.Constant(1), "float": ast.Constant(1.0), "bool": ast.Constant(False)}.get(ann)


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults: dict[str, ast.expr | None] = {p.arg: None for p in positional}
    for p, d in zip(positional[len(positional) - len(a.defaults):], a.defaults, strict=True):
        defaults[p.arg] = d
    for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        defaults[p.arg] = d
    out: dict[str, ast.expr] = {}
    for p in [*positional, *a.kwonlyargs]:
        if p.arg in ("self", "cls"):
            continue
        value = defaults[p.arg] if defaults[p.arg] is not None else _fixed_value(p)
        if value is not None:
            out[p.arg] = value
    return out


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    def visit(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for node in body:
            if isinstance(node, ast.ClassDef):
                yield from visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield prefix + node.name, node
    yield from visit(tree.body, "")


def _body_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """Every node of a function body in source order, skipping docstrings, annotations and defaults."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    skip: set[int] = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.AnnAssign):
                skip.update(id(n) for n in ast.walk(node.annotation))
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                skip.update(id(n) for n in ast.walk(node.args))
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_type_expr(node):
                skip.update(id(n) for n in ast.walk(node))
    nodes = [n for stmt in body for n in ast.walk(stmt) if id(n) not in skip]
    nodes.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
    return iter(nodes)


def _is_type_expr(node: ast.Subscript) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in ("list", "dict", "tuple", "set", "Optional", "Callable")


class _Collector:
    """Numbers one function's mutants per operator and keeps the ones that change the program."""

    def __init__(self, qualname: str, mutants: list[Mutant], seen_sources: set[str]) -> None:
        self.qualname, self.mutants, self.seen = qualname, mutants, seen_sources
        self.counts: dict[str, int] = {}

    def __call__(self, op: str, line: int, before: str, after: str, source: str | None) -> None:
        self.counts[op] = self.counts.get(op, 0) + 1
        if source is None or source in self.seen:
            return  # an edit that changes nothing, or repeats another mutant
        self.seen.add(source)
        if "__grader_last_argmax" in source:
            source = _PRELUDE + source
        self.mutants.append(Mutant(f"{self.qualname}:{op}:{self.counts[op]}", op, line, " ".join(before.split()),
                                   after, source))


def generate(solution_source: str, learner_written: set[str] | None = None) -> list[Mutant]:
    """Every mutant of `solution_source`, in source order, restricted to `learner_written` functions."""
    tree = ast.parse(solution_source)
    mutants: list[Mutant] = []
    seen_sources: set[str] = {ast.unparse(tree)}
    for qualname, fn in _functions(tree):
        if learner_written is not None and qualname not in learner_written:
            continue
        add = _Collector(qualname, mutants, seen_sources)
        for name, value in _params(fn).items():
            # The parameter is ignored: the function behaves as if it always had its default.
            assign = ast.Assign([ast.Name(name, ast.Store())], copy.deepcopy(value), lineno=fn.body[0].lineno)
            fn.body.insert(_docstring_end(fn), assign)
            try:
                add(f"ignore-{name}", fn.lineno, f"def {fn.name}(... {name} ...)",
                    f"{name} = {ast.unparse(value)} at the top of the body", _unparse(tree))
            finally:
                fn.body.remove(assign)
        for node in _body_nodes(fn):
            for op, target, replacement in _node_edits(node):
                before = ast.get_source_segment(solution_source, target) or ast.unparse(target)
                after = "(statement removed)" if replacement is None else ast.unparse(replacement)
                add(op, getattr(target, "lineno", fn.lineno), before, after, _apply(tree, target, replacement))
    return mutants


def _docstring_end(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = fn.body[0]
    return 1 if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str) \
        else 0


def _apply(tree: ast.Module, target: ast.AST, replacement: ast.AST | None) -> str | None:
    """The module's source with `target` replaced: the edit is made in place and undone."""
    for parent in ast.walk(tree):
        for fname, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, fname, replacement)
                try:
                    return _unparse(tree)
                finally:
                    setattr(parent, fname, target)
            if isinstance(value, list) and any(v is target for v in value):
                i = next(i for i, v in enumerate(value) if v is target)
                value[i] = replacement if replacement is not None else ast.Pass()
                try:
                    return _unparse(tree)
                finally:
                    value[i] = target
    return None


def _unparse(tree: ast.Module) -> str | None:
    try:
        return ast.unparse(ast.fix_missing_locations(tree))
    except (AttributeError, TypeError, ValueError):
        return None


@lru_cache(maxsize=64)
def _cached(solution: Path, stub: Path, mtimes: tuple[float, float]) -> tuple[Mutant, ...]:
    written = learner_functions(stub.read_text(encoding="utf-8")) if stub.exists() else None
    return tuple(generate(solution.read_text(encoding="utf-8"), written))


def of_files(solution: Path, stub: Path) -> tuple[Mutant, ...]:
    """The mutants of a solution file, for the functions its stub leaves to the learner."""
    mtimes = (solution.stat().st_mtime, stub.stat().st_mtime if stub.exists() else 0.0)
    return _cached(solution, stub, mtimes)
