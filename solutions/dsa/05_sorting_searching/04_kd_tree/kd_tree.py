"""Reference solution for dsa-05-4."""
from __future__ import annotations

import heapq

import numpy as np


def minkowski(x: np.ndarray, q: np.ndarray, p: float) -> np.ndarray:
    if p < 1:
        raise ValueError(f"p must be >= 1 for a metric, got {p}")
    diff = np.abs(np.asarray(x, dtype=np.float64) - np.asarray(q, dtype=np.float64))
    if np.isinf(p):
        return diff.max(axis=-1)
    return (diff ** p).sum(axis=-1) ** (1.0 / p)


class KDNode:
    """A leaf (idx: the point indices it holds) or an inner node (axis, split, left, right)."""

    def __init__(self, idx: np.ndarray | None = None, axis: int = -1, split: float = 0.0,
                 left: KDNode | None = None, right: KDNode | None = None) -> None:
        self.idx, self.axis, self.split, self.left, self.right = idx, axis, split, left, right


class KDTree:
    """A KD-tree over points (n, d) for k-nearest-neighbour queries under the Minkowski-p metric."""

    def __init__(self, points: np.ndarray, leaf_size: int = 8, p: float = 2.0) -> None:
        if leaf_size < 1:
            raise ValueError(f"leaf_size must be >= 1, got {leaf_size}")
        self.points = np.asarray(points, dtype=np.float64)
        self.leaf_size, self.p = leaf_size, p
        self.distance_evals = 0  # how many point-to-query distances have been measured
        self.root = self.build(np.arange(len(self.points)))

    def distances(self, idx: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Distances from q to the points idx under this tree's metric, counted in distance_evals."""
        self.distance_evals += len(idx)
        return minkowski(self.points[idx], q, self.p)

    def build(self, idx: np.ndarray) -> KDNode:
        if len(idx) <= self.leaf_size:
            return KDNode(idx=idx)
        pts = self.points[idx]
        axis = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))
        order = np.argsort(pts[:, axis], kind="stable")
        mid = len(idx) // 2
        return KDNode(axis=axis, split=float(pts[order[mid], axis]),
                      left=self.build(idx[order[:mid]]), right=self.build(idx[order[mid:]]))

    def query(self, q: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        if not 1 <= k <= len(self.points):
            raise ValueError(f"k must be in 1 .. {len(self.points)}, got {k}")
        q = np.asarray(q, dtype=np.float64)
        best: list[tuple[float, int]] = []  # max-heap of (-dist, -index)

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
            if len(best) < k or abs(gap) <= -best[0][0]:
                visit(far)

        visit(self.root)
        found = sorted((-d, -i) for d, i in best)
        return np.array([d for d, _ in found], dtype=np.float64), np.array([i for _, i in found], dtype=np.int64)
