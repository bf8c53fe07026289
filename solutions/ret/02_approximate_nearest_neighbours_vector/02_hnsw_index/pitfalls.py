"""Plausible wrong HNSW implementations that the tests must reject."""
from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hnsw import HNSW, random_level, search_layer


@pitfall(replaces="random_level", why="-ln(u) of rng.random() directly instead of 1 - u")
def log_of_u(rng: np.random.Generator, m_l: float) -> int:
    return math.floor(-math.log(max(rng.random(), 1e-300)) * m_l)


@pitfall(replaces="random_level", why="rounds the exponential draw instead of taking its floor")
def rounded_level(rng: np.random.Generator, m_l: float) -> int:
    return round(-math.log(1.0 - rng.random()) * m_l)


@pitfall(replaces="search_layer", why="stops as soon as ef nodes are found, without expanding the candidates further")
def stops_when_full(index: HNSW, q: np.ndarray, entry_points: list[int], ef: int, level: int) -> list[tuple[float, int]]:
    graph = index.layers[level]
    visited = set(entry_points)
    found = [(index.distance(q, e), e) for e in entry_points]
    candidates = list(found)
    heapq.heapify(candidates)
    while candidates and len(found) < ef:
        _, c = heapq.heappop(candidates)
        for e in graph[c]:
            if e not in visited:
                visited.add(e)
                d_e = index.distance(q, e)
                heapq.heappush(candidates, (d_e, e))
                found.append((d_e, e))
    return sorted(found)[:ef]


@pitfall(replaces="search_layer", why="greedy: only ever expands the single closest node (ef ignored inside the layer)")
def greedy_only(index: HNSW, q: np.ndarray, entry_points: list[int], ef: int, level: int) -> list[tuple[float, int]]:
    graph = index.layers[level]
    best = min((index.distance(q, e), e) for e in entry_points)
    seen = {best}
    improved = True
    while improved:
        improved = False
        for e in graph[best[1]]:
            cand = (index.distance(q, e), e)
            seen.add(cand)
            if cand < best:
                best, improved = cand, True
    return sorted(seen)[:ef]


@pitfall(replaces="search_layer", why="returns the found nodes farthest first")
def descending(index: HNSW, q: np.ndarray, entry_points: list[int], ef: int, level: int) -> list[tuple[float, int]]:
    graph = index.layers[level]
    visited = set(entry_points)
    candidates = [(index.distance(q, e), e) for e in entry_points]
    heapq.heapify(candidates)
    found = [(-d, -e) for d, e in candidates]
    heapq.heapify(found)
    while len(found) > ef:
        heapq.heappop(found)
    while candidates:
        d_c, c = heapq.heappop(candidates)
        if d_c > -found[0][0]:
            break
        for e in graph[c]:
            if e not in visited:
                visited.add(e)
                d_e = index.distance(q, e)
                if len(found) < ef or d_e < -found[0][0]:
                    heapq.heappush(candidates, (d_e, e))
                    heapq.heappush(found, (-d_e, -e))
                    if len(found) > ef:
                        heapq.heappop(found)
    return sorted(((-d, -e) for d, e in found), reverse=True)


def _insert(index: HNSW, node: int, rng: np.random.Generator, back_links: bool = True, ef: int | None = None,
            prune_nearest: bool = True) -> None:
    q = index.vectors[node].astype(np.float64)
    level = random_level(rng, index.m_l)
    top = len(index.layers) - 1
    while len(index.layers) <= level:
        index.layers.append({})
    for lev in range(level + 1):
        index.layers[lev][node] = []
    if index.entry_point < 0:
        index.entry_point = node
        return
    entry = [index.entry_point]
    for lev in range(top, level, -1):
        entry = [search_layer(index, q, entry, 1, lev)[0][1]]
    for lev in range(min(top, level), -1, -1):
        found = search_layer(index, q, entry, ef or index.ef_construction, lev)
        neighbors = [e for _, e in found[: index.M]]
        index.layers[lev][node] = neighbors
        cap = index.max_neighbors(lev)
        for e in neighbors if back_links else []:
            links = index.layers[lev][e] + [node]
            if len(links) > cap:
                if prune_nearest:
                    base = index.vectors[e].astype(np.float64)
                    links = sorted(links, key=lambda u: (index.distance(base, u), u))[:cap]
                else:
                    links = links[-cap:]
            index.layers[lev][e] = links
        entry = [e for _, e in found]
    if level > top:
        index.entry_point = node


@pitfall(replaces="insert", why="links the new node to its neighbours but not back: the graph is one-directional")
def no_back_links(index: HNSW, node: int, rng: np.random.Generator) -> None:
    _insert(index, node, rng, back_links=False)


@pitfall(replaces="insert", why="searches with ef = 1 while building (ef_construction ignored): one neighbour per node")
def ef_one_build(index: HNSW, node: int, rng: np.random.Generator) -> None:
    _insert(index, node, rng, ef=1)


@pitfall(replaces="insert", why="prunes an overfull neighbour list by dropping its oldest links, not its farthest")
def prune_oldest(index: HNSW, node: int, rng: np.random.Generator) -> None:
    _insert(index, node, rng, prune_nearest=False)


@pitfall(replaces="insert", why="never updates the entry point: search always starts at node 0")
def fixed_entry(index: HNSW, node: int, rng: np.random.Generator) -> None:
    first = index.entry_point
    _insert(index, node, rng)
    if first >= 0:
        index.entry_point = first


@pitfall(replaces="search", why="uses ef_search as the beam width even when it is smaller than k: too few results")
def ef_below_k(index: HNSW, q: np.ndarray, k: int, ef_search: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1 or ef_search < 1:
        raise ValueError("bad")
    dists, ids = np.full(k, np.inf), np.full(k, -1)
    if index.entry_point < 0:
        return dists, ids
    q = np.asarray(q, dtype=np.float64)
    entry = [index.entry_point]
    for lev in range(len(index.layers) - 1, 0, -1):
        entry = [search_layer(index, q, entry, 1, lev)[0][1]]
    found = search_layer(index, q, entry, ef_search, 0)[:k]
    dists[: len(found)] = [d for d, _ in found]
    ids[: len(found)] = [e for _, e in found]
    return dists, ids
