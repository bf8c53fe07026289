"""dsa-05-4: k-nearest neighbours with a KD-tree and Minkowski metrics. Edit this file;
`grader check dsa-05-4` tests it."""
from __future__ import annotations

import heapq  # noqa: F401  (a max-heap of the k best candidates: push (-dist, -index))

import numpy as np


def minkowski(x: np.ndarray, q: np.ndarray, p: float) -> np.ndarray:
    """Distances (sum_i |x_i - q_i|**p)**(1/p) from every row of x to q; p = np.inf gives
    max_i |x_i - q_i| (Chebyshev).

    Shapes:
        x: (m, d), q: (d,) -> (m,) float64

    Raises:
        ValueError: if p < 1.
    """
    raise NotImplementedError("minkowski: |x - q| ** p summed over the last axis, then the p-th root")


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
        """The subtree for the points idx: a leaf if len(idx) <= leaf_size, else a split on the axis of
        largest spread (max - min; the first on a tie) at the median: the lower half (stable order)
        goes left, the rest right, split = the first right point's coordinate.

        Shapes:
            idx: (m,) int64
        """
        raise NotImplementedError("build: pick the widest axis, sort along it, cut at m // 2, recurse")

    def query(self, q: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest points to q: distances ascending, equal distances by the smaller index. Visits
        the far side of a split only if |q[axis] - split| <= the current k-th best distance.

        Shapes:
            q: (d,) -> dist (k,) float64, ind (k,) int64

        Raises:
            ValueError: unless 1 <= k <= n.
        """
        raise NotImplementedError("query: descend to the near side first, prune the far side by the plane distance")
