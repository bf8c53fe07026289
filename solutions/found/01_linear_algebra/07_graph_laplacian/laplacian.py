"""Reference solution for found-01-7."""
from __future__ import annotations

import numpy as np


def check_weights(W: np.ndarray) -> np.ndarray:
    """W as float64; ValueError unless it is a symmetric (n, n) matrix of non-negative weights."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or not np.array_equal(W, W.T) or np.any(W < 0):
        raise ValueError("W must be a symmetric (n, n) matrix of non-negative weights")
    return W


def laplacian(W: np.ndarray, normed: bool = False) -> np.ndarray:
    W = check_weights(W).copy()
    np.fill_diagonal(W, 0.0)
    d = W.sum(axis=1)
    if not normed:
        return np.diag(d) - W
    connected = d > 0
    inv_sqrt = np.zeros_like(d)
    inv_sqrt[connected] = 1.0 / np.sqrt(d[connected])
    return np.diag(connected.astype(np.float64)) - inv_sqrt[:, None] * W * inv_sqrt[None, :]


def count_components(W: np.ndarray, tol: float = 1e-8) -> int:
    L = laplacian(W)
    d_max = float(np.max(np.diag(L))) if len(L) else 0.0
    return int(np.sum(np.linalg.eigvalsh(L) <= tol * d_max))


def component_labels(W: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    L = laplacian(W)
    n = L.shape[0]
    c = count_components(W, tol)
    _, vecs = np.linalg.eigh(L)
    Z = vecs[:, :c]  # rows are equal within a component and orthogonal across components
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    for i in range(n):
        if labels[i] >= 0:
            continue
        same = np.linalg.norm(Z - Z[i], axis=1) < 0.5 / np.sqrt(n)
        labels[same & (labels < 0)] = next_label
        next_label += 1
    return labels
