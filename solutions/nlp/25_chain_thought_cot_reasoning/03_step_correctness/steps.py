"""Reference solution for nlp-25-3."""
from __future__ import annotations

import ast
import re
from collections.abc import Sequence

import numpy as np

CLAIM = re.compile(r"([-\d\s+*()]+?)\s*=\s*(-?\d+)")
ANSWER = re.compile(r"The answer is (-?\d+)")


def noisy_reasoner(question: str, rng: np.random.Generator, p_slip: float = 0.3) -> str:
    """Given (nlp-25-1): a scripted two-step chain for "a + b * c" in which each step slips with probability p_slip."""
    a, b, c = map(int, re.findall(r"-?\d+", question)[:3])
    prod = b * c + (int(rng.choice([-2, -1, 1, 2])) if rng.random() < p_slip else 0)
    total = a + prod + (int(rng.choice([-2, -1, 1, 2])) if rng.random() < p_slip else 0)
    return f"First, {b} * {c} = {prod}. Then {a} + {prod} = {total}. The answer is {total}."


def safe_eval(expr: str) -> int:
    def ev(node: ast.AST) -> int:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            return left * right
        raise ValueError(f"not an integer arithmetic expression: {ast.dump(node)[:60]}")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"cannot parse {expr!r}") from err
    return ev(tree)


def parse_steps(chain: str) -> list[tuple[str, int]]:
    steps = []
    for sentence in re.split(r"(?<=\.)\s+", chain):
        sentence = re.sub(r"^(First|Then|So|Next|Finally),?\s*", "", sentence.strip())
        m = CLAIM.fullmatch(sentence.rstrip("."))
        if m and m.group(1).strip():
            steps.append((m.group(1).strip(), int(m.group(2))))
    return steps


def step_correctness(chain: str) -> list[bool]:
    return [safe_eval(expr) == value for expr, value in parse_steps(chain)]


def classify_chain(chain: str, truth: int) -> str:
    found = ANSWER.findall(chain)
    answer = int(found[-1]) if found else None
    steps_ok = all(step_correctness(chain))
    if answer == truth:
        return "sound" if steps_ok else "lucky"
    return "wrong_answer"


def step_accuracy(chains: Sequence[str]) -> float:
    flags = [ok for chain in chains for ok in step_correctness(chain)]
    if not flags:
        raise ValueError("no steps to score")
    return float(np.mean(flags))
