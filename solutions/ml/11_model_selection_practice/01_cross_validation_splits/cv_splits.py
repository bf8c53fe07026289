"""Reference solution for ml-11-1."""
from __future__ import annotations

import numpy as np


def kfold_splits(n_samples: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    if n_splits < 2 or n_splits > n_samples:
        raise ValueError(f"need 2 <= n_splits <= n_samples, got {n_splits=}, {n_samples=}")
    sizes = np.full(n_splits, n_samples // n_splits)
    sizes[: n_samples % n_splits] += 1
    indices = np.arange(n_samples)
    out, start = [], 0
    for size in sizes:
        test = indices[start : start + size]
        out.append((np.concatenate([indices[:start], indices[start + size :]]), test))
        start += size
    return out


def stratified_test_folds(y: np.ndarray, n_splits: int) -> np.ndarray:
    y = np.asarray(y)
    if n_splits < 2:
        raise ValueError(f"need n_splits >= 2, got {n_splits}")
    _, first_index, inverse = np.unique(y, return_index=True, return_inverse=True)
    order_of_appearance = np.argsort(np.argsort(first_index))  # sorted-label code -> appearance code
    codes = order_of_appearance[inverse.ravel()]
    counts = np.bincount(codes)
    if np.all(counts < n_splits):
        raise ValueError(f"n_splits={n_splits} is larger than the number of members of every class")
    y_order = np.sort(codes)
    allocation = np.array([np.bincount(y_order[i::n_splits], minlength=len(counts)) for i in range(n_splits)])
    folds = np.empty(len(y), dtype=int)
    for k in range(len(counts)):
        folds[codes == k] = np.repeat(np.arange(n_splits), allocation[:, k])
    return folds


def stratified_kfold_splits(y: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    folds = stratified_test_folds(y, n_splits)
    return [(np.flatnonzero(folds != i), np.flatnonzero(folds == i)) for i in range(n_splits)]
