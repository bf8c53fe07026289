"""Reference solution for nlp-26-2."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

WEIGHTS = {"sure": 20.0, "likely": 1.0, "impossible": 0.001}


def solvable(nums: tuple[int, ...], target: int) -> bool:
    """Given: exhaustive check that the numbers can make the target with + - * (nlp-26-1's game)."""
    if len(nums) == 1:
        return nums[0] == target
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            rest = [n for k, n in enumerate(nums) if k not in (i, j)]
            a, b = nums[i], nums[j]
            if any(solvable(tuple(sorted(rest + [v])), target) for v in (a + b, a - b, b - a, a * b)):
                return True
    return False


def scripted_evaluator(nums: tuple[int, ...], target: int, rng: np.random.Generator, accuracy: float = 0.7) -> str:
    """Given: a stand-in for an LLM asked "can these numbers reach the target? sure/likely/impossible": it knows
    the truth but says so only with probability `accuracy`, otherwise "likely"; a short rationale comes first."""
    truth = solvable(nums, target)
    label = ("sure" if truth else "impossible") if rng.random() < accuracy else "likely"
    return f"Numbers {list(nums)}, target {target}. Trying a few combinations...\n{label}"


def parse_evaluation(text: str) -> str | None:
    for line in reversed(text.strip().splitlines()):
        words = re.findall(r"[a-z]+", line.lower())
        for label in ("impossible", "likely", "sure"):
            if label in words:
                return label
    return None


def aggregate_value(labels: Sequence[str | None], weights: dict[str, float] = WEIGHTS) -> float:
    return float(sum(weights.get(label, 0.0) for label in labels if label is not None))


def value_state(evaluate: Callable[[np.random.Generator], str], n_samples: int, rng: np.random.Generator,
                weights: dict[str, float] = WEIGHTS) -> float:
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}")
    return aggregate_value([parse_evaluation(evaluate(rng)) for _ in range(n_samples)], weights)


def vote_best(votes: Sequence[int], n_candidates: int) -> int:
    counts = Counter(v for v in votes if 0 <= v < n_candidates)
    if not counts:
        raise ValueError("no valid vote")
    best = max(counts.values())
    return min(c for c, k in counts.items() if k == best)


def ranking_auc(values: Sequence[float], positive: Sequence[bool]) -> float:
    v, y = np.asarray(values, dtype=np.float64), np.asarray(positive, dtype=bool)
    if y.all() or not y.any():
        raise ValueError("need both positive and negative states")
    pos, neg = v[y], v[~y]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))
