"""Plausible wrong Laplacians and component counts that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from laplacian import check_weights, count_components, laplacian

_laplacian, _count = laplacian, count_components  # the solution's versions


@pitfall(replaces="laplacian", why="W − D: the sign is flipped, so L is negative semidefinite")
def laplacian_flipped(W: np.ndarray, normed: bool = False) -> np.ndarray:
    return -_laplacian(W, normed)


@pitfall(replaces="laplacian", why="counts self-loops in the degree (D from the full row sums of W)")
def laplacian_with_loops(W: np.ndarray, normed: bool = False) -> np.ndarray:
    W = check_weights(W)
    d = W.sum(axis=1)
    off = W - np.diag(np.diag(W))
    if not normed:
        return np.diag(d) - off
    inv = np.where(d > 0, 1.0 / np.sqrt(np.where(d > 0, d, 1.0)), 0.0)
    return np.diag((d > 0).astype(float)) - inv[:, None] * off * inv[None, :]


@pitfall(replaces="laplacian", why="normed=True as the random-walk Laplacian I − D⁻¹W (not symmetric)")
def laplacian_random_walk(W: np.ndarray, normed: bool = False) -> np.ndarray:
    if not normed:
        return _laplacian(W)
    W = check_weights(W).copy()
    np.fill_diagonal(W, 0.0)
    d = W.sum(axis=1)
    inv = np.where(d > 0, 1.0 / np.where(d > 0, d, 1.0), 0.0)
    return np.diag((d > 0).astype(float)) - inv[:, None] * W


@pitfall(replaces="laplacian", why="normed=True puts 1 on the diagonal of isolated nodes too (I − ...)")
def laplacian_isolated_one(W: np.ndarray, normed: bool = False) -> np.ndarray:
    L = _laplacian(W, normed)
    return L + np.diag((np.diag(L) == 0).astype(float)) if normed else L


@pitfall(replaces="count_components", why="counts eigenvalues that are exactly 0: rounding leaves them at ±1e-16")
def count_exact_zero(W: np.ndarray, tol: float = 1e-8) -> int:
    return int(np.sum(np.linalg.eigvalsh(laplacian(W)) == 0.0))


@pitfall(replaces="count_components", why="absolute threshold 1e-3: a weak edge (λ2 ≈ 1e-4) is taken for a cut")
def count_coarse_threshold(W: np.ndarray, tol: float = 1e-8) -> int:
    return int(np.sum(np.linalg.eigvalsh(laplacian(W)) <= 1e-3))


@pitfall(replaces="count_components", why="threshold tol alone, not tol · d_max")
def count_absolute_tol(W: np.ndarray, tol: float = 1e-8) -> int:
    return int(np.sum(np.linalg.eigvalsh(laplacian(W)) <= tol))


@pitfall(replaces="component_labels", why="labels by argmax of each null-space row: components can share a label")
def labels_by_argmax(W: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    L = laplacian(W)
    c = count_components(W, tol)
    _, vecs = np.linalg.eigh(L)
    raw = np.argmax(np.abs(vecs[:, :c]), axis=1) if c else np.zeros(len(L), dtype=np.int64)
    _, first = np.unique(raw, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[np.unique(raw, return_inverse=True)[1]].astype(np.int64)


@pitfall(replaces="component_labels", why="numbers the components in eigenvector order instead of by first appearance")
def labels_unordered(W: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    L = laplacian(W)
    n = L.shape[0]
    c = count_components(W, tol)
    _, vecs = np.linalg.eigh(L)
    Z = vecs[:, :c]
    labels = np.full(n, -1, dtype=np.int64)
    nxt = 0
    for i in range(n - 1, -1, -1):
        if labels[i] < 0:
            labels[(np.linalg.norm(Z - Z[i], axis=1) < 0.5 / np.sqrt(n)) & (labels < 0)] = nxt
            nxt += 1
    return labels
