"""Reference solution for dsa-01-1."""
from __future__ import annotations

import heapq

import numpy as np


def dijkstra(n: int, edges: list[tuple[int, int, float]], source: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 <= source < n:
        raise ValueError(f"source {source} is not a node of a graph with {n} nodes")
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u, v, w in edges:
        if w < 0:
            raise ValueError(f"negative weight {w} on edge ({u}, {v})")
        adj[u].append((v, w))
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, dtype=np.int64)
    dist[source] = 0.0
    heap = [(0.0, source)]
    done = np.zeros(n, dtype=bool)
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                pred[v] = u
                heapq.heappush(heap, (dist[v], v))
    return dist, pred


def shortest_path(n: int, edges: list[tuple[int, int, float]], source: int, target: int) -> list[int]:
    dist, pred = dijkstra(n, edges, source)
    if not 0 <= target < n:
        raise ValueError(f"target {target} is not a node")
    if np.isinf(dist[target]):
        return []
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    return path[::-1]
