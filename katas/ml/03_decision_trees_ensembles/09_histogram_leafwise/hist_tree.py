"""ml-03-9: LightGBM-style histogram binning; leaf-wise vs level-wise growth. Edit this file;
`grader check ml-03-9` tests it."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class GrownTree(NamedTuple):
    """What `grow_tree` returns (given: you do not need to change it)."""

    leaf_of_row: np.ndarray  # (n,) int: the leaf (0 .. n_leaves-1) each training row ends in
    leaf_values: np.ndarray  # (n_leaves,) float: the mean target of each leaf
    losses: np.ndarray  # (n_leaves,) float: training SSE after 0, 1, ..., n_leaves-1 splits


def bin_thresholds(x: np.ndarray, max_bins: int = 255) -> np.ndarray:
    """Bin edges for one feature, as sklearn's HistGradientBoosting (LightGBM-style) computes them.

    With at most max_bins distinct values: the midpoints between consecutive distinct values (each
    value gets its own bin). Otherwise: the percentiles 100 k / max_bins, k = 1 .. max_bins-1, of x
    with np.percentile(..., method="averaged_inverted_cdf"), duplicates removed.

    Shapes:
        x: (n,) float
        returns: (m,) float64, strictly increasing, m <= max_bins - 1 (empty for a constant x)
    """
    raise NotImplementedError("bin_thresholds: midpoints of distinct values, or deduplicated percentiles")


def apply_bins(x: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Bin index of every value: bin b holds thresholds[b-1] < x <= thresholds[b].

    Shapes:
        returns: (n,) int in 0 .. len(thresholds)
    """
    raise NotImplementedError("apply_bins: count the thresholds strictly below each value")


def node_histograms(X_binned: np.ndarray, y: np.ndarray, rows: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-(feature, bin) sum of y and row count over the node's rows.

    Shapes:
        X_binned: (n, d) int in 0 .. n_bins-1; y: (n,) float; rows: (r,) int indices of the node's rows
        returns: (sums (d, n_bins) float64, counts (d, n_bins) float64)
    """
    raise NotImplementedError("node_histograms: one bincount per feature")


def best_bin_split(sums: np.ndarray, counts: np.ndarray) -> tuple[int, int, float] | None:
    """The squared-error split of a node read off its histograms.

    Splitting feature j after bin b sends bins <= b left. Its gain (the drop in the sum of squared
    errors around the leaf means) is S_L^2/n_L + S_R^2/n_R - S^2/n. Both sides must be non-empty.
    Return (feature, bin, gain) of the largest gain (the lowest feature and bin on ties), or None if
    no split separates any rows.
    """
    raise NotImplementedError("best_bin_split: cumulative sums over the bins of each feature")


def grow_tree(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, policy: str = "leafwise",
              n_bins: int | None = None) -> GrownTree:
    """Grow a regression tree on binned data up to max_leaves leaves.

    A leaf can be split if it has at least 2 rows and best_bin_split finds a split. Each step
    splits one leaf:
      policy "leafwise" (LightGBM, best-first): the splittable leaf whose best split has the largest gain;
      policy "levelwise" (depth-wise): the next splittable leaf in breadth-first order (a FIFO queue:
        the root first; splitting a leaf appends its left child, then its right child).
    Stop at max_leaves leaves or when no leaf can be split. n_bins defaults to X_binned.max() + 1.
    Build each child's histograms by subtraction: the smaller child's from its rows, the other as
    parent minus smaller.

    Raises:
        ValueError: for an unknown policy.
    """
    raise NotImplementedError("grow_tree: split the best leaf (leafwise) or the next in BFS order (levelwise)")
