"""Plausible wrong random-projection-tree code that the tests must reject."""
from __future__ import annotations

import heapq
import itertools
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rp_trees import Leaf, Split, bisector, build_tree, candidates


@pitfall(replaces="bisector", why="offset with the wrong sign: (|b|^2 - |a|^2) / 2")
def offset_sign(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a - b, float(b @ b - a @ a) / 2


@pitfall(replaces="bisector", why="offset |a - b|^2 / 2 (the half-distance), not (|a|^2 - |b|^2) / 2")
def half_distance(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a - b, float((a - b) @ (a - b)) / 2


@pitfall(replaces="build_tree", why="makes a leaf only below leaf_size (<), splitting nodes of exactly leaf_size ids")
def leaf_off_by_one(x: np.ndarray, ids: np.ndarray, leaf_size: int, rng: np.random.Generator) -> Leaf | Split:
    if len(ids) < leaf_size or len(ids) <= 1:
        return Leaf(np.sort(ids))
    i, j = rng.choice(ids, size=2, replace=False)
    normal, offset = bisector(x[i], x[j])
    side = x[ids] @ normal - offset
    right, left = ids[side > 0], ids[side <= 0]
    if len(right) == 0 or len(left) == 0:
        perm = rng.permutation(ids)
        normal, offset = np.zeros(x.shape[1]), 0.0
        left, right = perm[: len(ids) // 2], perm[len(ids) // 2:]
    return Split(normal, offset, leaf_off_by_one(x, left, leaf_size, rng), leaf_off_by_one(x, right, leaf_size, rng))


@pitfall(replaces="build_tree", why="points exactly on the plane go right (side >= 0)")
def on_plane_right(x: np.ndarray, ids: np.ndarray, leaf_size: int, rng: np.random.Generator) -> Leaf | Split:
    if len(ids) <= leaf_size:
        return Leaf(np.sort(ids))
    i, j = rng.choice(ids, size=2, replace=False)
    normal, offset = bisector(x[i], x[j])
    side = x[ids] @ normal - offset
    right, left = ids[side >= 0], ids[side < 0]
    if len(right) == 0 or len(left) == 0:
        perm = rng.permutation(ids)
        normal, offset = np.zeros(x.shape[1]), 0.0
        left, right = perm[: len(ids) // 2], perm[len(ids) // 2:]
    return Split(normal, offset, on_plane_right(x, left, leaf_size, rng), on_plane_right(x, right, leaf_size, rng))


@pitfall(replaces="build_forest", why="a fresh default_rng(seed) per tree: every tree is the same tree")
def same_tree_every_time(x: np.ndarray, n_trees: int, leaf_size: int, seed: int) -> list[Leaf | Split]:
    if n_trees < 1 or leaf_size < 1:
        raise ValueError("bad")
    return [build_tree(x, np.arange(len(x)), leaf_size, np.random.default_rng(seed)) for _ in range(n_trees)]


def _candidates(forest: list[Leaf | Split], q: np.ndarray, search_k: int, child_priority: str = "min",
                lowest_first: bool = False, strict: bool = False) -> np.ndarray:
    q = np.asarray(q, dtype=np.float64)
    order = itertools.count()
    sign = 1 if lowest_first else -1
    heap = [(sign * np.inf, next(order), root) for root in forest]
    found: dict[int, None] = {}
    while heap and (len(found) <= search_k if strict else len(found) < search_k):
        key, _, node = heapq.heappop(heap)
        p = sign * key
        if isinstance(node, Leaf):
            found.update(dict.fromkeys(node.ids.tolist()))
            continue
        m = float(q @ node.normal - node.offset)
        pr, pl = (min(p, m), min(p, -m)) if child_priority == "min" else (m, -m)
        heapq.heappush(heap, (sign * pr, next(order), node.right))
        heapq.heappush(heap, (sign * pl, next(order), node.left))
    return np.array(sorted(found), dtype=np.int64)


@pitfall(replaces="candidates", why="a min-heap: expands the lowest-priority node first")
def lowest_first(forest: list[Leaf | Split], q: np.ndarray, search_k: int) -> np.ndarray:
    return _candidates(forest, q, search_k, lowest_first=True)


@pitfall(replaces="candidates", why="a child's priority is its own margin, not the min along the path")
def margin_only(forest: list[Leaf | Split], q: np.ndarray, search_k: int) -> np.ndarray:
    return _candidates(forest, q, search_k, child_priority="margin")


@pitfall(replaces="candidates", why="keeps going while len <= search_k: one leaf too many")
def one_leaf_too_many(forest: list[Leaf | Split], q: np.ndarray, search_k: int) -> np.ndarray:
    return _candidates(forest, q, search_k, strict=True)


@pitfall(replaces="forest_search", why="ranks candidates by inner product instead of distance")
def by_inner_product(forest: list[Leaf | Split], x: np.ndarray, q: np.ndarray, k: int,
                     search_k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1 or search_k < 1:
        raise ValueError("bad")
    cand = candidates(forest, q, search_k)
    d = ((x[cand].astype(np.float64) - q) ** 2).sum(axis=1)
    best = np.argsort(-(x[cand].astype(np.float64) @ q), kind="stable")[:k]
    dists, ids = np.full(k, np.inf), np.full(k, -1)
    dists[: len(best)] = d[best]
    ids[: len(best)] = cand[best]
    return dists, ids
