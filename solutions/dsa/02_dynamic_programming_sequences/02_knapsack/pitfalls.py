"""Plausible wrong knapsack solvers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from knapsack import knapsack

_solve = knapsack


def _checked(values: list, weights: list, capacity: int) -> int:
    if len(weights) != len(values) or capacity < 0 or any(w < 0 for w in weights):
        raise ValueError("bad input")
    return len(values)


@pitfall(replaces="knapsack", why="one row updated with c ascending: an item is reused (the unbounded knapsack)")
def unbounded(values: list, weights: list, capacity: int) -> tuple[float, list[int]]:
    n = _checked(values, weights, capacity)
    best = [0] * (capacity + 1)
    for i in range(n):
        for c in range(weights[i], capacity + 1):
            best[c] = max(best[c], best[c - weights[i]] + values[i])
    return best[capacity], _solve(values, weights, capacity)[1]


@pitfall(replaces="knapsack", why="greedy by value per unit of weight: optimal only for the fractional problem")
def greedy_ratio(values: list, weights: list, capacity: int) -> tuple[float, list[int]]:
    n = _checked(values, weights, capacity)
    order = sorted(range(n), key=lambda i: -values[i] / weights[i] if weights[i] else float("-inf"))
    chosen, left = [], capacity
    for i in order:
        if weights[i] <= left:
            chosen.append(i)
            left -= weights[i]
    return sum(values[i] for i in chosen), sorted(chosen)


@pitfall(replaces="knapsack", why="takes an item only if w < c: an exact fit is never used")
def strict_fit(values: list, weights: list, capacity: int) -> tuple[float, list[int]]:
    n = _checked(values, weights, capacity)
    best = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        v, w = values[i - 1], weights[i - 1]
        for c in range(capacity + 1):
            best[i][c] = max(best[i - 1][c], best[i - 1][c - w] + v if w < c else 0)
    chosen, c = [], capacity
    for i in range(n, 0, -1):
        if best[i][c] != best[i - 1][c]:
            chosen.append(i - 1)
            c -= weights[i - 1]
    return best[n][capacity], chosen[::-1]


@pitfall(replaces="knapsack", why="no w <= c test: best[c - w] with a negative index reads the end of the row")
def negative_index(values: list, weights: list, capacity: int) -> tuple[float, list[int]]:
    n = _checked(values, weights, capacity)
    best = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        v, w = values[i - 1], weights[i - 1]
        for c in range(capacity + 1):
            best[i][c] = max(best[i - 1][c], best[i - 1][c - w] + v)
    chosen, c = [], capacity
    for i in range(n, 0, -1):
        if best[i][c] != best[i - 1][c]:
            chosen.append(i - 1)
            c -= weights[i - 1]
    return best[n][capacity], chosen[::-1]


@pitfall(replaces="knapsack", why="backtrace keeps c = capacity: it never subtracts the taken item's weight")
def backtrace_keeps_capacity(values: list, weights: list, capacity: int) -> tuple[float, list[int]]:
    n = _checked(values, weights, capacity)
    best = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        v, w = values[i - 1], weights[i - 1]
        for c in range(capacity + 1):
            best[i][c] = max(best[i - 1][c], best[i - 1][c - w] + v if w <= c else 0)
    chosen = [i - 1 for i in range(n, 0, -1) if best[i][capacity] != best[i - 1][capacity]]
    return best[n][capacity], chosen[::-1]
