"""Plausible wrong chain parsers and scorers that the tests must reject."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from steps import ANSWER, parse_steps, safe_eval, step_correctness


@pitfall(replaces="safe_eval", why="eval() with empty builtins (still runs attribute access and more)")
def plain_eval(expr: str) -> int:
    try:
        value = eval(expr, {"__builtins__": {}})  # noqa: S307
    except SyntaxError as err:
        raise ValueError("syntax") from err
    return value


@pitfall(replaces="parse_steps", why="keeps only sentences without a leading connective")
def no_connectives(chain: str) -> list[tuple[str, int]]:
    out = []
    for s in re.split(r"(?<=\.)\s+", chain):
        m = re.fullmatch(r"([-\d\s+*()]+?)\s*=\s*(-?\d+)", s.strip().rstrip("."))
        if m and m.group(1).strip():
            out.append((m.group(1).strip(), int(m.group(2))))
    return out


@pitfall(replaces="step_correctness", why="judges each step against the true value of the first step's chain "
         "(propagates the first error: a correct step after a slip counts as wrong)")
def cumulative(chain: str) -> list[bool]:
    ok, flags = True, []
    for expr, value in parse_steps(chain):
        ok = ok and safe_eval(expr) == value
        flags.append(ok)
    return flags


@pitfall(replaces="classify_chain", why="outcome only: a right answer is always 'sound'")
def outcome_only(chain: str, truth: int) -> str:
    found = ANSWER.findall(chain)
    return "sound" if found and int(found[-1]) == truth else "wrong_answer"


@pitfall(replaces="step_accuracy", why="averages per-chain accuracies (chains with more steps weigh less)")
def mean_of_means(chains: Sequence[str]) -> float:
    per = [sum(f) / len(f) for f in (step_correctness(c) for c in chains) if f]
    if not per:
        raise ValueError("no steps")
    return sum(per) / len(per)
