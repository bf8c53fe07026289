"""dsa-02-2: 0/1 knapsack by dynamic programming. Edit this file; `grader check dsa-02-2` tests it."""
from __future__ import annotations


def knapsack(values: list[float], weights: list[int], capacity: int) -> tuple[float, list[int]]:
    """The most valuable subset of items whose weights add up to at most capacity (each item at most once).

    Returns (best_value, chosen): best_value is the largest total value; chosen is the sorted list of
    the indices of one subset that reaches it. values and weights are left unchanged.

    Shapes:
        values, weights: (n,) lists; chosen: a list of k <= n distinct indices in 0 .. n-1

    Raises:
        ValueError: if len(values) != len(weights), a weight is negative, or capacity < 0.
    """
    raise NotImplementedError("knapsack: best[i][c] = max(skip, take if w <= c), then backtrace")
