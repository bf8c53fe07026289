"""Reference solution for ml-03-9."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class GrownTree(NamedTuple):
    """What `grow_tree` returns (given: you do not need to change it)."""

    leaf_of_row: np.ndarray  # (n,) int: the leaf (0 .. n_leaves-1) each training row ends in
    leaf_values: np.ndarray  # (n_leaves,) float: the mean target of each leaf
    losses: np.ndarray  # (n_leaves,) float: training SSE after 0, 1, ..., n_leaves-1 splits


def bin_thresholds(x: np.ndarray, max_bins: int = 255) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    distinct = np.unique(x)
    if len(distinct) <= max_bins:
        return (distinct[:-1] + distinct[1:]) * 0.5
    percentiles = np.linspace(0, 100, num=max_bins + 1)[1:-1]
    return np.unique(np.percentile(x, percentiles, method="averaged_inverted_cdf"))


def apply_bins(x: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(thresholds), np.asarray(x, dtype=np.float64), side="left")


def node_histograms(X_binned: np.ndarray, y: np.ndarray, rows: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    Xb = np.asarray(X_binned)[rows]
    yr = np.asarray(y, dtype=np.float64)[rows]
    d = Xb.shape[1]
    sums = np.zeros((d, n_bins))
    counts = np.zeros((d, n_bins))
    for j in range(d):
        sums[j] = np.bincount(Xb[:, j], weights=yr, minlength=n_bins)
        counts[j] = np.bincount(Xb[:, j], minlength=n_bins)
    return sums, counts


def best_bin_split(sums: np.ndarray, counts: np.ndarray) -> tuple[int, int, float] | None:
    S, N = sums[0].sum(), counts[0].sum()
    best = None
    for j in range(sums.shape[0]):
        sl, nl = np.cumsum(sums[j])[:-1], np.cumsum(counts[j])[:-1]
        sr, nr = S - sl, N - nl
        valid = (nl > 0) & (nr > 0) & (counts[j][:-1] > 0)  # left ends on a non-empty bin: one per partition
        if not valid.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = np.where(valid, sl * sl / nl + sr * sr / nr - S * S / N, -np.inf)
        b = int(np.argmax(gain))
        if best is None or gain[b] > best[2]:
            best = (j, b, float(gain[b]))
    return best


def grow_tree(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, policy: str = "leafwise",
              n_bins: int | None = None) -> GrownTree:
    if policy not in ("leafwise", "levelwise"):
        raise ValueError(f"unknown policy {policy!r}")
    Xb = np.asarray(X_binned)
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    n_bins = int(Xb.max()) + 1 if n_bins is None else n_bins
    leaf_rows: list[np.ndarray] = [np.arange(n)]
    hists = [node_histograms(Xb, y, leaf_rows[0], n_bins)]
    splits = [best_bin_split(*hists[0]) if n > 1 else None]

    def sse() -> float:
        return float(sum(((y[r] - y[r].mean()) ** 2).sum() for r in leaf_rows))

    losses = [sse()]
    queue = [0]  # level-wise: leaves in breadth-first order (each split appends its left, then right child)
    while len(leaf_rows) < max_leaves:
        if policy == "leafwise":
            open_ = [k for k in range(len(leaf_rows)) if splits[k] is not None]
            if not open_:
                break
            i = max(open_, key=lambda k: splits[k][2])
        else:
            queue = [k for k in queue if splits[k] is not None]
            if not queue:
                break
            i = queue.pop(0)
        j, b, _ = splits[i]
        rows = leaf_rows[i]
        go_left = Xb[rows, j] <= b
        left, right = rows[go_left], rows[~go_left]
        # Histogram subtraction: build the smaller child's histogram, derive the larger one.
        small = left if len(left) <= len(right) else right
        hs = node_histograms(Xb, y, small, n_bins)
        hl = (hists[i][0] - hs[0], hists[i][1] - hs[1])
        h_left, h_right = (hs, hl) if small is left else (hl, hs)
        r = len(leaf_rows)
        leaf_rows[i], hists[i], splits[i] = left, h_left, best_bin_split(*h_left) if len(left) > 1 else None
        leaf_rows.append(right)
        hists.append(h_right)
        splits.append(best_bin_split(*h_right) if len(right) > 1 else None)
        queue += [i, r]
        losses.append(sse())
    leaf_of_row = np.empty(n, dtype=np.int64)
    values = np.empty(len(leaf_rows))
    for k, r in enumerate(leaf_rows):
        leaf_of_row[r] = k
        values[k] = y[r].mean()
    return GrownTree(leaf_of_row, values, np.array(losses))
