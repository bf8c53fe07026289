"""Tests for dl-02-1, a scalar autograd engine.

Reference: torch.autograd. Hypothesis draws random expression graphs (a few leaves, then up to 14
operations, each reading any earlier node, so values get reused and subexpressions shared), the
test builds the same graph once with your Value and once with float64 torch scalars, and compares
every node's value and every node's gradient (retain_grad on the torch side).
"""
import math

import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import floats
from grader.testing import assert_close

BINARY = ["add", "sub", "mul", "div"]
WITH_CONST = ["add_c", "radd_c", "sub_c", "rsub_c", "mul_c", "rmul_c", "div_c", "rdiv_c", "pow_c"]
UNARY = ["neg", "exp", "log", "tanh", "relu", "sigmoid", "square"]
CONSTS = st.sampled_from([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0])


def apply(op: str, a, b, c: float, lib: str):
    """One operation, written the way a user writes it, for Value (lib="value") or torch tensors."""
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        return a / b
    if op == "add_c":
        return a + c
    if op == "radd_c":
        return c + a
    if op == "sub_c":
        return a - c
    if op == "rsub_c":
        return c - a
    if op == "mul_c":
        return a * c
    if op == "rmul_c":
        return c * a
    if op == "div_c":
        return a / c
    if op == "rdiv_c":
        return c / a
    if op == "pow_c":
        return a ** c
    if op == "square":
        return a * a  # the same operand twice: both uses must count
    if op == "neg":
        return -a
    if lib == "torch":
        return {"exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "relu": torch.relu,
                "sigmoid": torch.sigmoid}[op](a)
    return getattr(a, op)()


def valid(op: str, a: float, b: float, c: float) -> bool:
    """Keep the graph inside every operation's domain and away from overflow."""
    if op == "div":
        return abs(b) > 0.1
    if op == "rdiv_c":
        return abs(a) > 0.1
    if op == "log":
        return a > 0.1
    if op == "exp":
        return a < 5
    if op == "pow_c":
        return a > 0.1 if c != int(c) else (abs(a) > 0.1 or c > 0)
    return True


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[tuple]]:
    leaves = draw(st.lists(floats(-3.0, 3.0), min_size=1, max_size=4))
    values, prog = [torch.tensor(v, dtype=torch.float64) for v in leaves], []
    for _ in range(draw(st.integers(1, 14))):
        op = draw(st.sampled_from(BINARY + WITH_CONST + UNARY))
        i, j = draw(st.integers(0, len(values) - 1)), draw(st.integers(0, len(values) - 1))
        c = draw(CONSTS)
        if not valid(op, float(values[i]), float(values[j]), c):
            continue
        v = apply(op, values[i], values[j], c, "torch")
        if not math.isfinite(float(v)) or abs(float(v)) > 1e4:
            continue
        values.append(v)
        prog.append((op, i, j, c))
    return leaves, prog


def run(leaves: list[float], prog: list[tuple], lib: str) -> list:
    if lib == "torch":
        nodes = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in leaves]
    else:
        nodes = [lib(v) for v in leaves]
    for op, i, j, c in prog:
        nodes.append(apply(op, nodes[i], nodes[j], c, "torch" if lib == "torch" else "value"))
    return nodes


def describe_program(leaves: list[float], prog: list[tuple]) -> str:
    lines = [f"  v{k} = Value({v!r})" for k, v in enumerate(leaves)]
    for k, (op, i, j, c) in enumerate(prog, start=len(leaves)):
        lines.append(f"  v{k} = {op}(v{i}" + (f", v{j})" if op in BINARY else f", c={c})" if op in WITH_CONST else ")"))
    return "\n".join(lines) + f"\n  v{len(leaves) + len(prog) - 1}.backward()"


def check(kata, leaves: list[float], prog: list[tuple]) -> None:
    ref = run(leaves, prog, "torch")
    for t in ref:
        t.retain_grad()
    ref[-1].backward()
    mine = run(leaves, prog, kata.Value)
    call = "the graph\n" + describe_program(leaves, prog)
    assert_close([v.data for v in mine], [float(t.detach()) for t in ref], rtol=1e-12, atol=1e-12,
                 name="node values v0, v1, ... (forward pass)", call=call)
    mine[-1].backward()
    want = [0.0 if t.grad is None else float(t.grad) for t in ref]
    # float64 on both sides, the same operations in the same order: only rounding differs.
    assert_close([v.grad for v in mine], want, rtol=1e-9, atol=1e-10,
                 name="gradients of the output w.r.t. v0, v1, ... (vs torch.autograd)", call=call)


@settings(report_multiple_bugs=False)  # one failing graph at a time, the simplest first
@given(graph=programs())
@example(graph=([1.5], [("square", 0, 0, 1.0)]))                              # x * x
@example(graph=([2.0, -3.0], [("mul", 0, 1, 1.0), ("add", 2, 0, 1.0)]))        # x*y + x: x used twice
@example(graph=([0.5], [("tanh", 0, 0, 1.0), ("mul", 1, 1, 1.0), ("add", 2, 1, 1.0)]))  # diamond on t
@example(graph=([0.0, 1.0], [("relu", 0, 0, 1.0), ("add", 2, 1, 1.0)]))        # relu'(0) = 0
@example(graph=([0.7], [("rsub_c", 0, 0, 2.0), ("rdiv_c", 1, 0, 3.0)]))         # 3 / (2 - x)
@example(graph=([1.3], [("pow_c", 0, 0, 3.0), ("pow_c", 0, 0, -0.5), ("add", 1, 2, 1.0)]))
@example(graph=([0.3], [("log", 0, 0, 1.0)]))
def test_random_graphs_match_torch_autograd(kata, graph):
    check(kata, *graph)


@given(x=floats(-3.0, 3.0), depth=st.integers(2, 8))
def test_shared_subexpressions_deep_diamonds(kata, x, depth):
    """v_{k+1} = v_k * v_k + v_k repeatedly: every node is used three times, paths multiply."""
    prog, k = [], 0
    for _ in range(depth):
        prog += [("mul", k, k, 1.0), ("add", k + 1, k, 1.0), ("tanh", k + 2, 0, 1.0)]
        k += 3
    check(kata, [x], prog)


@given(x=floats(-3.0, 3.0))
@example(x=0.0)
def test_sigmoid_and_exp_of_one_leaf(kata, x):
    check(kata, [x], [("sigmoid", 0, 0, 1.0), ("exp", 0, 0, 1.0), ("mul", 1, 2, 1.0)])
