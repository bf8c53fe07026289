"""Reference solution for ret-02-4."""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import numpy as np


@dataclass
class Leaf:
    """The ids stored in one leaf, in increasing order."""

    ids: np.ndarray


@dataclass
class Split:
    """An inner node: x goes right when x @ normal - offset > 0, left otherwise."""

    normal: np.ndarray
    offset: float
    left: Leaf | Split
    right: Leaf | Split


def leaves(node: Leaf | Split) -> list[np.ndarray]:
    """The id arrays of every leaf under node, left to right."""
    if isinstance(node, Leaf):
        return [node.ids]
    return leaves(node.left) + leaves(node.right)


def bisector(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a - b, float(a @ a - b @ b) / 2


def build_tree(x: np.ndarray, ids: np.ndarray, leaf_size: int, rng: np.random.Generator) -> Leaf | Split:
    if len(ids) <= leaf_size:
        return Leaf(np.sort(ids))
    i, j = rng.choice(ids, size=2, replace=False)
    normal, offset = bisector(x[i], x[j])
    side = x[ids] @ normal - offset
    right, left = ids[side > 0], ids[side <= 0]
    if len(right) == 0 or len(left) == 0:
        perm = rng.permutation(ids)
        half = len(ids) // 2
        normal, offset = np.zeros(x.shape[1]), 0.0
        left, right = perm[:half], perm[half:]
    return Split(normal, offset, build_tree(x, left, leaf_size, rng), build_tree(x, right, leaf_size, rng))


def build_forest(x: np.ndarray, n_trees: int, leaf_size: int, seed: int) -> list[Leaf | Split]:
    if n_trees < 1 or leaf_size < 1:
        raise ValueError(f"need n_trees >= 1 and leaf_size >= 1, got {n_trees=}, {leaf_size=}")
    rng = np.random.default_rng(seed)
    return [build_tree(x, np.arange(len(x)), leaf_size, rng) for _ in range(n_trees)]


def candidates(forest: list[Leaf | Split], q: np.ndarray, search_k: int) -> np.ndarray:
    order = itertools.count()
    heap = [(-np.inf, next(order), root) for root in forest]
    found: dict[int, None] = {}
    while heap and len(found) < search_k:
        neg_p, _, node = heapq.heappop(heap)
        if isinstance(node, Leaf):
            found.update(dict.fromkeys(node.ids.tolist()))
            continue
        margin = float(q @ node.normal - node.offset)
        heapq.heappush(heap, (-min(-neg_p, margin), next(order), node.right))
        heapq.heappush(heap, (-min(-neg_p, -margin), next(order), node.left))
    return np.array(sorted(found), dtype=np.int64)


def forest_search(forest: list[Leaf | Split], x: np.ndarray, q: np.ndarray, k: int,
                  search_k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1 or search_k < 1:
        raise ValueError(f"need k >= 1 and search_k >= 1, got {k=}, {search_k=}")
    cand = candidates(forest, q, search_k)
    d = ((x[cand] - q) ** 2).sum(axis=1)
    best = np.argsort(d, kind="stable")[:k]
    dists, ids = np.full(k, np.inf), np.full(k, -1)
    dists[: len(best)] = d[best]
    ids[: len(best)] = cand[best]
    return dists, ids
