"""Plausible wrong cross-validation splitters that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="kfold_splits", why="n // k samples per fold and the whole remainder in the last fold")
def remainder_in_last_fold(n_samples: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    if n_splits < 2 or n_splits > n_samples:
        raise ValueError("bad n_splits")
    size = n_samples // n_splits
    idx = np.arange(n_samples)
    out = []
    for i in range(n_splits):
        stop = n_samples if i == n_splits - 1 else (i + 1) * size
        test = idx[i * size : stop]
        out.append((np.setdiff1d(idx, test), test))
    return out


@pitfall(replaces="stratified_test_folds", why="deals each class round-robin (j-th member to fold j % k) instead of in blocks")
def round_robin_within_class(y: np.ndarray, n_splits: int) -> np.ndarray:
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    if n_splits < 2 or np.all(counts < n_splits):
        raise ValueError("bad n_splits")
    folds = np.empty(len(y), dtype=int)
    offset = 0
    for c in classes:
        members = np.flatnonzero(y == c)
        folds[members] = (np.arange(len(members)) + offset) % n_splits
        offset += len(members)
    return folds


@pitfall(replaces="stratified_test_folds", why="classes in sorted-label order instead of order of first appearance")
def classes_in_sorted_order(y: np.ndarray, n_splits: int) -> np.ndarray:
    y = np.asarray(y)
    _, codes = np.unique(y, return_inverse=True)
    codes = codes.ravel()
    counts = np.bincount(codes)
    if n_splits < 2 or np.all(counts < n_splits):
        raise ValueError("bad n_splits")
    y_order = np.sort(codes)
    allocation = np.array([np.bincount(y_order[i::n_splits], minlength=len(counts)) for i in range(n_splits)])
    folds = np.empty(len(y), dtype=int)
    for k in range(len(counts)):
        folds[codes == k] = np.repeat(np.arange(n_splits), allocation[:, k])
    return folds


@pitfall(replaces="stratified_test_folds", why="splits every class with np.array_split on its own: extras pile up in the first folds")
def array_split_per_class(y: np.ndarray, n_splits: int) -> np.ndarray:
    y = np.asarray(y)
    _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
    codes = np.argsort(np.argsort(first))[inverse.ravel()]
    counts = np.bincount(codes)
    if n_splits < 2 or np.all(counts < n_splits):
        raise ValueError("bad n_splits")
    folds = np.empty(len(y), dtype=int)
    for k in range(len(counts)):
        members = np.flatnonzero(codes == k)
        for i, part in enumerate(np.array_split(members, n_splits)):
            folds[part] = i
    return folds
