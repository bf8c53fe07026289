"""Plausible wrong binning and growth strategies that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hist_tree import GrownTree, best_bin_split, grow_tree, node_histograms


@pitfall(replaces="bin_thresholds", why="always quantiles, even when there are few distinct values (no midpoints)")
def always_quantiles(x: np.ndarray, max_bins: int = 255) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    q = np.percentile(x, np.linspace(0, 100, max_bins + 1)[1:-1], method="averaged_inverted_cdf")
    return np.unique(q)[: max(len(np.unique(x)) - 1, 0)]


@pitfall(replaces="bin_thresholds", why="np.percentile's default linear interpolation instead of averaged_inverted_cdf")
def linear_percentiles(x: np.ndarray, max_bins: int = 255) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    distinct = np.unique(x)
    if len(distinct) <= max_bins:
        return (distinct[:-1] + distinct[1:]) * 0.5
    return np.unique(np.percentile(x, np.linspace(0, 100, max_bins + 1)[1:-1]))


@pitfall(replaces="apply_bins", why="a value equal to a threshold goes to the bin above (side='right')")
def right_closed(x: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(thresholds), np.asarray(x, dtype=np.float64), side="right")


@pitfall(replaces="node_histograms", why="ignores `rows`: histograms of the whole data set at every node")
def all_rows(X_binned: np.ndarray, y: np.ndarray, rows: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    Xb, y = np.asarray(X_binned), np.asarray(y, dtype=np.float64)
    sums = np.stack([np.bincount(Xb[:, j], weights=y, minlength=n_bins) for j in range(Xb.shape[1])])
    counts = np.stack([np.bincount(Xb[:, j], minlength=n_bins) for j in range(Xb.shape[1])]).astype(float)
    return sums, counts


@pitfall(replaces="best_bin_split", why="reports S_L^2/n_L + S_R^2/n_R as the gain, forgetting the parent's S^2/n")
def no_parent_term(sums: np.ndarray, counts: np.ndarray) -> tuple[int, int, float] | None:
    S, N = sums[0].sum(), counts[0].sum()
    best = None
    for j in range(sums.shape[0]):
        sl, nl = np.cumsum(sums[j])[:-1], np.cumsum(counts[j])[:-1]
        valid = (nl > 0) & (N - nl > 0) & (counts[j][:-1] > 0)
        if not valid.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = np.where(valid, sl * sl / nl + (S - sl) ** 2 / (N - nl), -np.inf)
        b = int(np.argmax(gain))
        if best is None or gain[b] > best[2]:
            best = (j, b, float(gain[b]))
    return best


def _grow(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, pick: str, n_bins: int | None) -> GrownTree:
    Xb, y = np.asarray(X_binned), np.asarray(y, dtype=np.float64)
    n = len(y)
    n_bins = int(Xb.max()) + 1 if n_bins is None else n_bins
    leaves = [np.arange(n)]
    splits = [best_bin_split(*node_histograms(Xb, y, leaves[0], n_bins)) if n > 1 else None]
    losses = [float(((y - y.mean()) ** 2).sum())]
    stack = [0]
    while len(leaves) < max_leaves:
        open_ = [k for k in range(len(leaves)) if splits[k] is not None]
        if not open_:
            break
        if pick == "biggest":
            i = max(open_, key=lambda k: len(leaves[k]))
        elif pick == "best":
            i = max(open_, key=lambda k: splits[k][2])
        else:  # depth-first: the most recently created splittable leaf
            stack = [k for k in stack if splits[k] is not None]
            i = stack.pop()
        j, b, _ = splits[i]
        rows = leaves[i]
        left, right = rows[Xb[rows, j] <= b], rows[Xb[rows, j] > b]
        leaves[i] = left
        leaves.append(right)
        splits[i] = best_bin_split(*node_histograms(Xb, y, left, n_bins)) if len(left) > 1 else None
        splits.append(best_bin_split(*node_histograms(Xb, y, right, n_bins)) if len(right) > 1 else None)
        stack += [i, len(leaves) - 1]
        losses.append(float(sum(((y[r] - y[r].mean()) ** 2).sum() for r in leaves)))
    leaf_of_row = np.empty(n, dtype=np.int64)
    for k, r in enumerate(leaves):
        leaf_of_row[r] = k
    return GrownTree(leaf_of_row, np.array([y[r].mean() for r in leaves]), np.array(losses))


@pitfall(replaces="grow_tree", why="leaf-wise picks the leaf with the most rows, not the largest gain")
def biggest_leaf_first(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, policy: str = "leafwise",
                       n_bins: int | None = None) -> GrownTree:
    if policy == "leafwise":
        return _grow(X_binned, y, max_leaves, "biggest", n_bins)
    return _solution_grow(X_binned, y, max_leaves, policy, n_bins)


_solution_grow = grow_tree


@pitfall(replaces="grow_tree", why="level-wise uses a stack (depth-first order) instead of a FIFO queue")
def depth_first_levelwise(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, policy: str = "leafwise",
                          n_bins: int | None = None) -> GrownTree:
    if policy == "levelwise":
        return _grow(X_binned, y, max_leaves, "stack", n_bins)
    return _solution_grow(X_binned, y, max_leaves, policy, n_bins)


@pitfall(replaces="grow_tree", why="builds both children's histograms from their rows (no subtraction trick)")
def no_subtraction(X_binned: np.ndarray, y: np.ndarray, max_leaves: int, policy: str = "leafwise",
                   n_bins: int | None = None) -> GrownTree:
    if policy == "leafwise":
        return _grow(X_binned, y, max_leaves, "best", n_bins)
    return _solution_grow(X_binned, y, max_leaves, policy, n_bins)


@pitfall(replaces="best_bin_split", why="np.argmax on the reversed gains: a tie goes to the last bin (and >= to the last feature)")
def bin_ties_to_last(sums: np.ndarray, counts: np.ndarray) -> tuple[int, int, float] | None:
    S, N = sums[0].sum(), counts[0].sum()
    best = None
    for j in range(sums.shape[0]):
        sl, nl = np.cumsum(sums[j])[:-1], np.cumsum(counts[j])[:-1]
        sr, nr = S - sl, N - nl
        valid = (nl > 0) & (nr > 0) & (counts[j][:-1] > 0)
        if not valid.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = np.where(valid, sl * sl / nl + sr * sr / nr - S * S / N, -np.inf)
        b = len(gain) - 1 - int(np.argmax(gain[::-1]))
        if best is None or gain[b] >= best[2]:
            best = (j, b, float(gain[b]))
    return best
