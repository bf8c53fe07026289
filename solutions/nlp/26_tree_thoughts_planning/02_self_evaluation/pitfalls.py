"""Plausible wrong self-evaluation code that the tests must reject."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="parse_evaluation", why="substring search: 'unlikely' or 'insure' count as labels, and the first line wins")
def substring_first_line(text: str) -> str | None:
    for line in text.strip().splitlines():
        for label in ("impossible", "likely", "sure"):
            if label in line.lower():
                return label
    return None


@pitfall(replaces="aggregate_value", why="averages the weights instead of summing them")
def mean_value(labels: Sequence[str | None], weights: dict[str, float] | None = None) -> float:
    w = weights or {"sure": 20.0, "likely": 1.0, "impossible": 0.001}
    vals = [w.get(x, 0.0) for x in labels if x is not None]
    return float(np.mean(vals)) if vals else 0.0


@pitfall(replaces="vote_best", why="ties go to the candidate voted for first, not the lowest index")
def first_voted(votes: Sequence[int], n_candidates: int) -> int:
    counts = Counter(v for v in votes if 0 <= v < n_candidates)
    if not counts:
        raise ValueError("no votes")
    return counts.most_common(1)[0][0]


@pitfall(replaces="ranking_auc", why="ties between a positive and a negative count as wins")
def ties_win(values: Sequence[float], positive: Sequence[bool]) -> float:
    v, y = np.asarray(values, float), np.asarray(positive, bool)
    if y.all() or not y.any():
        raise ValueError("one class")
    return float((v[y][:, None] >= v[~y][None, :]).mean())
