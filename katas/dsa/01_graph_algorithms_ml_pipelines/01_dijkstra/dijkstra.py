"""dsa-01-1: Dijkstra's shortest paths. Edit this file; `grader check dsa-01-1` tests it."""
from __future__ import annotations

import heapq  # noqa: F401  (a binary heap keyed by tentative distance)

import numpy as np


def dijkstra(n: int, edges: list[tuple[int, int, float]], source: int) -> tuple[np.ndarray, np.ndarray]:
    """Single-source shortest paths in a directed graph with non-negative weights.

    edges holds (u, v, w) for a directed edge u -> v of weight w >= 0 (parallel edges and zero
    weights are allowed). Returns dist, the shortest distance from source to every node (inf if
    unreachable, 0 at the source), and pred, the node before each node on one shortest path
    (-1 for the source and for unreachable nodes).

    Shapes:
        returns: dist (n,) float64, pred (n,) int64

    Raises:
        ValueError: if a weight is negative or source is not in 0 .. n-1.
    """
    raise NotImplementedError("dijkstra: pop the closest unfinished node, relax its out-edges")


def shortest_path(n: int, edges: list[tuple[int, int, float]], source: int, target: int) -> list[int]:
    """The nodes of one shortest path from source to target (both included), from dijkstra's pred;
    [source] when target == source, [] when target is unreachable.

    Raises:
        ValueError: as dijkstra, or if target is not in 0 .. n-1.
    """
    raise NotImplementedError("shortest_path: follow pred back from the target")
