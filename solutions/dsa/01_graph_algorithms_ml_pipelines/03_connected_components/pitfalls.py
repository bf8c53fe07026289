"""Plausible wrong union-find code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from components import find


@pitfall(replaces="connected_components", why="links the endpoints themselves (parent[u] = v) instead of their roots")
def link_nodes_not_roots(n: int, edges: list[tuple[int, int]]) -> tuple[int, np.ndarray]:
    if n < 0 or any(not (0 <= u < n and 0 <= v < n) for u, v in edges):
        raise ValueError("edges")
    parent = list(range(n))
    for u, v in edges:
        if find(parent, u) != find(parent, v):
            parent[u] = v
    labels, seen = np.empty(n, dtype=np.int64), {}
    for x in range(n):
        labels[x] = seen.setdefault(find(parent, x), len(seen))
    return len(seen), labels


@pitfall(replaces="connected_components", why="labels each node by its root's index instead of numbering components 0, 1, ...")
def labels_are_roots(n: int, edges: list[tuple[int, int]]) -> tuple[int, np.ndarray]:
    if n < 0 or any(not (0 <= u < n and 0 <= v < n) for u, v in edges):
        raise ValueError("edges")
    parent = list(range(n))
    for u, v in edges:
        ru, rv = find(parent, u), find(parent, v)
        if ru != rv:
            parent[ru] = rv
    labels = np.array([find(parent, x) for x in range(n)], dtype=np.int64)
    return len(set(labels.tolist())), labels


@pitfall(replaces="connected_components", why="counts n − (number of edges): self-loops and repeated edges are not merges")
def count_by_edges(n: int, edges: list[tuple[int, int]]) -> tuple[int, np.ndarray]:
    if n < 0 or any(not (0 <= u < n and 0 <= v < n) for u, v in edges):
        raise ValueError("edges")
    parent = list(range(n))
    for u, v in edges:
        ru, rv = find(parent, u), find(parent, v)
        if ru != rv:
            parent[rv] = ru
    labels, seen = np.empty(n, dtype=np.int64), {}
    for x in range(n):
        labels[x] = seen.setdefault(find(parent, x), len(seen))
    return max(n - len(edges), 1 if n else 0), labels


@pitfall(replaces="find", why="finds the root but never compresses the path")
def find_no_compression(parent: list[int], x: int) -> int:
    while parent[x] != x:
        x = parent[x]
    return x
