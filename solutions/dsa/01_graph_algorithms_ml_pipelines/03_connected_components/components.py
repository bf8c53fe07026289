"""Reference solution for dsa-01-3."""
from __future__ import annotations

import numpy as np


def find(parent: list[int], x: int) -> int:
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:  # path compression
        parent[x], x = root, parent[x]
    return root


def connected_components(n: int, edges: list[tuple[int, int]]) -> tuple[int, np.ndarray]:
    if n < 0 or any(not (0 <= u < n and 0 <= v < n) for u, v in edges):
        raise ValueError("every edge must join two of the n nodes 0 .. n-1")
    parent, size = list(range(n)), [1] * n
    for u, v in edges:
        ru, rv = find(parent, u), find(parent, v)
        if ru != rv:
            if size[ru] < size[rv]:
                ru, rv = rv, ru
            parent[rv] = ru
            size[ru] += size[rv]
    labels = np.empty(n, dtype=np.int64)
    label_of: dict[int, int] = {}
    for x in range(n):
        labels[x] = label_of.setdefault(find(parent, x), len(label_of))
    return len(label_of), labels
