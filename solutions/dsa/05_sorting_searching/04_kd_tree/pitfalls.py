"""Plausible wrong KD-tree searches that the tests must reject."""
from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from kd_tree import KDNode, KDTree


@pitfall(replaces="minkowski", why="forgets the p-th root: returns the sum of |x - q|**p")
def no_root(x: np.ndarray, q: np.ndarray, p: float) -> np.ndarray:
    if p < 1:
        raise ValueError("p")
    diff = np.abs(np.asarray(x, dtype=np.float64) - q)
    return diff.max(axis=-1) if np.isinf(p) else (diff ** p).sum(axis=-1)


@pitfall(replaces="minkowski", why="always Euclidean: the p argument is ignored")
def always_euclidean(x: np.ndarray, q: np.ndarray, p: float) -> np.ndarray:
    if p < 1:
        raise ValueError("p")
    return np.sqrt(((np.asarray(x, dtype=np.float64) - q) ** 2).sum(axis=-1))


def _query(self: KDTree, q: np.ndarray, k: int, prune: object) -> tuple[np.ndarray, np.ndarray]:
    if not 1 <= k <= len(self.points):
        raise ValueError("k")
    q = np.asarray(q, dtype=np.float64)
    best: list[tuple[float, int]] = []

    def visit(node: KDNode) -> None:
        if node.idx is not None:
            for i, dist in zip(node.idx.tolist(), self.distances(node.idx, q).tolist(), strict=True):
                item = (-dist, -i)
                if len(best) < k:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
            return
        gap = q[node.axis] - node.split
        near, far = (node.left, node.right) if gap < 0 else (node.right, node.left)
        visit(near)
        if prune(gap, best, k):
            visit(far)

    visit(self.root)
    found = sorted((-d, -i) for d, i in best)
    return np.array([d for d, _ in found], dtype=np.float64), np.array([i for _, i in found], dtype=np.int64)


@pitfall(replaces="KDTree.query", why="compares the SQUARED plane distance with the unsquared k-th best distance")
def squared_gap(self: KDTree, q: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return _query(self, q, k, lambda gap, best, k: len(best) < k or gap * gap <= -best[0][0])


@pitfall(replaces="KDTree.query", why="never visits the far side of a split: only the query's own cell is searched")
def near_side_only(self: KDTree, q: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return _query(self, q, k, lambda gap, best, k: len(best) < k)


@pitfall(replaces="KDTree.query", why="no pruning at all: correct, but measures every point like brute force")
def no_pruning(self: KDTree, q: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return _query(self, q, k, lambda gap, best, k: True)


@pitfall(replaces="KDTree.build", why="splits on axis depth % d regardless of spread: still correct, but the tree shape differs")
def round_robin_axis(self: KDTree, idx: np.ndarray, depth: int = 0) -> KDNode:
    if len(idx) <= self.leaf_size:
        return KDNode(idx=idx)
    pts = self.points[idx]
    axis = depth % pts.shape[1]
    order = np.argsort(pts[:, axis], kind="stable")
    mid = len(idx) // 2
    return KDNode(axis=axis, split=float(pts[order[mid], axis]),
                  left=self.build(idx[order[:mid]], depth + 1), right=self.build(idx[order[mid:]], depth + 1))
