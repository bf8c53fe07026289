"""Reference solution for dsa-02-2."""
from __future__ import annotations


def knapsack(values: list[float], weights: list[int], capacity: int) -> tuple[float, list[int]]:
    n = len(values)
    if len(weights) != n:
        raise ValueError(f"{n} values but {len(weights)} weights")
    if capacity < 0 or any(w < 0 for w in weights):
        raise ValueError("weights and capacity must be non-negative")
    best = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        v, w = values[i - 1], weights[i - 1]
        prev, row = best[i - 1], best[i]
        for c in range(capacity + 1):
            row[c] = prev[c]
            if w <= c and prev[c - w] + v > row[c]:
                row[c] = prev[c - w] + v
    chosen = []
    c = capacity
    for i in range(n, 0, -1):
        if best[i][c] != best[i - 1][c]:
            chosen.append(i - 1)
            c -= weights[i - 1]
    return best[n][capacity], chosen[::-1]
