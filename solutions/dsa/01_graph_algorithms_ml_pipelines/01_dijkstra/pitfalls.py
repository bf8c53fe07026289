"""Plausible wrong shortest-path code that the tests must reject."""
from __future__ import annotations

import heapq
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dijkstra import dijkstra


def _adjacency(n: int, edges: list, undirected: bool = False) -> list[list[tuple[int, float]]]:
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u, v, w in edges:
        if w < 0:
            raise ValueError("negative")
        adj[u].append((v, w))
        if undirected:
            adj[v].append((u, w))
    return adj


@pitfall(replaces="dijkstra", why="breadth-first search: the path with the fewest edges, not the lightest")
def bfs(n: int, edges: list, source: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 <= source < n:
        raise ValueError("source")
    adj = _adjacency(n, edges)
    dist, pred = np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    dist[source] = 0.0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v, w in adj[u]:
            if np.isinf(dist[v]):
                dist[v], pred[v] = dist[u] + w, u
                queue.append(v)
    return dist, pred


@pitfall(replaces="dijkstra", why="finalises a node when it is first reached (pushed), not when it is popped")
def finalise_on_push(n: int, edges: list, source: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 <= source < n:
        raise ValueError("source")
    adj = _adjacency(n, edges)
    dist, pred = np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    dist[source] = 0.0
    seen, heap = {source}, [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        for v, w in adj[u]:
            if v not in seen:
                seen.add(v)
                dist[v], pred[v] = d + w, u
                heapq.heappush(heap, (dist[v], v))
    return dist, pred


@pitfall(replaces="dijkstra", why="treats every edge as undirected")
def undirected(n: int, edges: list, source: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 <= source < n:
        raise ValueError("source")
    adj = _adjacency(n, edges, undirected=True)
    dist, pred = np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    dist[source] = 0.0
    heap, done = [(0.0, source)], set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v], pred[v] = d + w, u
                heapq.heappush(heap, (dist[v], v))
    return dist, pred


@pitfall(replaces="dijkstra", why="accepts negative weights silently")
def no_negative_check(n: int, edges: list, source: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 <= source < n:
        raise ValueError("source")
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u, v, w in edges:
        adj[u].append((v, w))
    dist, pred = np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    dist[source] = 0.0
    heap, done = [(0.0, source)], set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v], pred[v] = d + w, u
                heapq.heappush(heap, (dist[v], v))
    return dist, pred


@pitfall(replaces="shortest_path", why="returns the path from target back to source (not reversed)")
def path_reversed(n: int, edges: list, source: int, target: int) -> list[int]:
    dist, pred = dijkstra(n, edges, source)
    if not 0 <= target < n:
        raise ValueError("target")
    if np.isinf(dist[target]):
        return []
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    return path
