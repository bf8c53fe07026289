"""nlp-26-2: self-evaluation scores for thought branches. Edit this file;
`grader check nlp-26-2` tests it."""
from __future__ import annotations

from collections import Counter  # noqa: F401
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
    """The evaluation label of an evaluator's output: reading lines from the last one up, the first line whose
    lower-cased words (runs of letters) include "impossible", "likely" or "sure" gives that label (if a line
    has several, "impossible" before "likely" before "sure"); None if no line has one."""
    raise NotImplementedError("parse_evaluation: the label of the last line that has one")


def aggregate_value(labels: Sequence[str | None], weights: dict[str, float] = WEIGHTS) -> float:
    """Tree of Thoughts' value: the sum of weights[label] over the sampled labels (None and unknown labels 0)."""
    raise NotImplementedError("aggregate_value: weighted sum")


def value_state(evaluate: Callable[[np.random.Generator], str], n_samples: int, rng: np.random.Generator,
                weights: dict[str, float] = WEIGHTS) -> float:
    """Sample the evaluator n_samples times (evaluate(rng)), parse each output, aggregate.

    Raises:
        ValueError: if n_samples < 1.
    """
    raise NotImplementedError("value_state: sample, parse, aggregate")


def vote_best(votes: Sequence[int], n_candidates: int) -> int:
    """Vote-based evaluation: the candidate index with the most votes (votes outside 0..n_candidates-1 ignored),
    ties to the lowest index.

    Raises:
        ValueError: if there is no valid vote.
    """
    raise NotImplementedError("vote_best: count the valid votes")


def ranking_auc(values: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability that a random positive (e.g. solvable) state gets a higher value than a random negative one,
    ties counting one half (the ROC AUC).

    Raises:
        ValueError: unless there are both positive and negative states.
    """
    raise NotImplementedError("ranking_auc: compare every positive with every negative")
