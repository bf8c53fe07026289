"""Reference solution for ret-02-2."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class HNSW:
    """A hierarchical navigable small-world graph over the rows of `vectors`.

    layers[l][i] = the neighbour ids of node i in layer l (a node in layer l is in every layer below).
    entry_point = a node of the top layer (-1 while the index is empty).
    """

    vectors: np.ndarray
    M: int
    ef_construction: int
    m_l: float
    layers: list[dict[int, list[int]]] = field(default_factory=list)
    entry_point: int = -1

    def max_neighbors(self, level: int) -> int:
        """M links per node in the upper layers, 2M in layer 0 (as in the paper and FAISS)."""
        return 2 * self.M if level == 0 else self.M

    def distance(self, q: np.ndarray, i: int) -> float:
        """Squared Euclidean distance from q to node i, in float64."""
        diff = self.vectors[i].astype(np.float64) - q
        return float(diff @ diff)


def build(vectors: np.ndarray, M: int = 8, ef_construction: int = 32, seed: int = 0) -> HNSW:
    """Insert the rows of `vectors` in order, with levels drawn from default_rng(seed)."""
    index = HNSW(vectors=vectors, M=M, ef_construction=ef_construction, m_l=1 / math.log(M))
    rng = np.random.default_rng(seed)
    for i in range(len(vectors)):
        insert(index, i, rng)
    return index


def random_level(rng: np.random.Generator, m_l: float) -> int:
    return math.floor(-math.log(1.0 - rng.random()) * m_l)


def search_layer(index: HNSW, q: np.ndarray, entry_points: list[int], ef: int, level: int) -> list[tuple[float, int]]:
    graph = index.layers[level]
    visited = set(entry_points)
    candidates = [(index.distance(q, e), e) for e in entry_points]
    heapq.heapify(candidates)
    found = [(-d, -e) for d, e in candidates]          # max-heap: the furthest of the found on top
    heapq.heapify(found)
    while len(found) > ef:
        heapq.heappop(found)
    while candidates:
        d_c, c = heapq.heappop(candidates)
        if d_c > -found[0][0]:
            break
        for e in graph[c]:
            if e in visited:
                continue
            visited.add(e)
            d_e = index.distance(q, e)
            if len(found) < ef or d_e < -found[0][0]:
                heapq.heappush(candidates, (d_e, e))
                heapq.heappush(found, (-d_e, -e))
                if len(found) > ef:
                    heapq.heappop(found)
    return sorted((-d, -e) for d, e in found)


def insert(index: HNSW, node: int, rng: np.random.Generator) -> None:
    q = index.vectors[node]
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
        found = search_layer(index, q, entry, index.ef_construction, lev)
        neighbors = [e for _, e in found[: index.M]]
        index.layers[lev][node] = neighbors
        cap = index.max_neighbors(lev)
        for e in neighbors:
            links = index.layers[lev][e] + [node]
            if len(links) > cap:
                base = index.vectors[e]
                links = sorted(links, key=lambda u: (index.distance(base, u), u))[:cap]
            index.layers[lev][e] = links
        entry = [e for _, e in found]
    if level > top:
        index.entry_point = node


def search(index: HNSW, q: np.ndarray, k: int, ef_search: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1 or ef_search < 1:
        raise ValueError(f"need k >= 1 and ef_search >= 1, got {k=}, {ef_search=}")
    dists = np.full(k, np.inf)
    ids = np.full(k, -1)
    if index.entry_point < 0:
        return dists, ids
    entry = [index.entry_point]
    for lev in range(len(index.layers) - 1, 0, -1):
        entry = [search_layer(index, q, entry, 1, lev)[0][1]]
    found = search_layer(index, q, entry, max(ef_search, k), 0)[:k]
    dists[: len(found)] = [d for d, _ in found]
    ids[: len(found)] = [e for _, e in found]
    return dists, ids
