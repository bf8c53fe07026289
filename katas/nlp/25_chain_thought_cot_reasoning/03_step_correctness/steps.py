"""nlp-25-3: parse reasoning chains and score their intermediate steps. Edit this file;
`grader check nlp-25-3` tests it."""
from __future__ import annotations

import ast  # noqa: F401
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
    """Evaluate an integer arithmetic expression (integer literals, + - *, unary minus and plus, parentheses)
    by walking its Python AST. Never eval(): a model's output is untrusted.

    Raises:
        ValueError: for anything else (names, calls, attributes, division, powers, floats, strings, syntax errors).
    """
    raise NotImplementedError("safe_eval: ast.parse(mode='eval') and a recursive walk over allowed nodes")


def parse_steps(chain: str) -> list[tuple[str, int]]:
    """The claimed computations of a chain, in order: every sentence (split after ". ") that, after an optional
    leading "First", "Then", "So", "Next" or "Finally" (optional comma), is exactly "<expression> = <integer>."
    gives (expression stripped, integer). Other sentences are skipped.
    """
    raise NotImplementedError("parse_steps: split into sentences, match 'expr = value'")


def step_correctness(chain: str) -> list[bool]:
    """For each parsed step, whether safe_eval(expression) equals the claimed value (each step judged on its own)."""
    raise NotImplementedError("step_correctness: evaluate every claim")


def classify_chain(chain: str, truth: int) -> str:
    """"sound" (final answer == truth and every step right), "lucky" (right answer, some step wrong) or
    "wrong_answer". The final answer is the last "The answer is N" (none: wrong_answer)."""
    raise NotImplementedError("classify_chain: outcome and process together")


def step_accuracy(chains: Sequence[str]) -> float:
    """Fraction of correct steps over all steps of all chains.

    Raises:
        ValueError: if the chains contain no steps.
    """
    raise NotImplementedError("step_accuracy: pool the steps")
