"""ret-02-2: an HNSW graph index. Edit this file; `grader check ret-02-2` tests it.

Given: the HNSW container and `build`, which inserts every row with your `insert`.
You write: random_level, search_layer, insert, search (Malkov & Yashunin 2016, Algorithms 1, 2 and 5).
"""
from __future__ import annotations

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
    """The top layer of a new node: floor(-ln(1 - u) * m_l) for ONE draw u = rng.random().

    P(level >= l) = exp(-l / m_l): most nodes live only in layer 0, a few reach the top.

    Shapes:
        returns: an int >= 0
    """
    raise NotImplementedError("random_level: one uniform draw, an exponential, a floor")


def search_layer(index: HNSW, q: np.ndarray, entry_points: list[int], ef: int, level: int) -> list[tuple[float, int]]:
    """Best-first beam search in one layer (Algorithm 2 of the paper).

    Start from entry_points (all visited); repeatedly expand the closest unexpanded candidate,
    visiting each neighbour (in index.layers[level]) once; keep the ef closest nodes found; stop when
    the closest candidate is farther than the farthest of the ef kept. Distances: index.distance.

    Shapes:
        q: (d,) float64; returns: at most ef (distance, id) pairs, distinct ids, sorted ascending
    """
    raise NotImplementedError("search_layer: a candidate min-heap and a found max-heap")


def insert(index: HNSW, node: int, rng: np.random.Generator) -> None:
    """Insert row `node` of index.vectors (Algorithm 1 with the simple neighbour selection).

    1. level = random_level(rng, index.m_l); add the node, with no links yet, to layers 0..level
       (appending empty layers when level is above the current top).
    2. The first node becomes the entry point and the insert ends.
    3. From the entry point, descend greedily (search_layer with ef = 1) through the layers above
       level; then, in each layer from min(level, old top) down to 0, search_layer with
       ef = index.ef_construction from the current entry points, link the node to the index.M
       nearest found, add the reverse link to each of them, and where a neighbour now has more than
       index.max_neighbors(layer) links keep its nearest ones (distance to that neighbour, ties by
       id). The found nodes are the entry points of the next layer down.
    4. If level is above the old top, the node becomes the entry point.
    """
    raise NotImplementedError("insert: draw a level, descend, search, link both ways, prune")


def search(index: HNSW, q: np.ndarray, k: int, ef_search: int) -> tuple[np.ndarray, np.ndarray]:
    """The k approximate nearest neighbours of q (Algorithm 5).

    Descend greedily (ef = 1) from the entry point through every layer above 0, then search_layer
    in layer 0 with ef = max(ef_search, k) and keep the k closest. Missing places (an index with
    fewer than k nodes, or an empty index) get distance +inf and id -1.

    Shapes:
        q: (d,); returns: (distances (k,) float64 squared L2, ascending; ids (k,) int)

    Raises:
        ValueError: if k < 1 or ef_search < 1.
    """
    raise NotImplementedError("search: greedy descent, then a wide search in layer 0")
