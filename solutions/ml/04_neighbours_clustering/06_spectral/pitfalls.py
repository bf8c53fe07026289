"""Plausible wrong spectral-clustering implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from spectral import eigh, normalized_laplacian


@pitfall(replaces="rbf_affinity", why="exp(-gamma * distance): the distance is not squared")
def unsquared_distance(X: np.ndarray, gamma: float) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    return np.exp(-gamma * np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)))


@pitfall(replaces="normalized_laplacian", why="keeps the self-loops: degrees include A_ii = 1")
def keeps_self_loops(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    W = np.asarray(A, dtype=np.float64)
    dd = np.sqrt(W.sum(axis=1))
    return np.eye(len(W)) - W / np.outer(dd, dd), dd


@pitfall(replaces="normalized_laplacian", why="unnormalized Laplacian D - W")
def unnormalized(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    W = np.array(A, dtype=np.float64)
    np.fill_diagonal(W, 0.0)
    deg = W.sum(axis=1)
    return np.diag(deg) - W, np.sqrt(deg)


@pitfall(replaces="spectral_embedding", why="eigenvectors of the LARGEST eigenvalues")
def largest_eigenvectors(A: np.ndarray, n_components: int) -> np.ndarray:
    L, dd = normalized_laplacian(A)
    n = len(L)
    _, vecs = eigh(L, subset_by_index=[n - n_components, n - 1])
    return vecs / dd[:, None]


@pitfall(replaces="spectral_embedding", why="no D^{-1/2} rescaling: returns the eigenvectors of L themselves")
def not_rescaled(A: np.ndarray, n_components: int) -> np.ndarray:
    L, _ = normalized_laplacian(A)
    return eigh(L, subset_by_index=[0, n_components - 1])[1]


@pitfall(replaces="spectral_embedding", why="drops the first eigenvector (as for a visual embedding) and takes the next ones")
def drops_first(A: np.ndarray, n_components: int) -> np.ndarray:
    L, dd = normalized_laplacian(A)
    _, vecs = eigh(L, subset_by_index=[1, n_components])
    return vecs / dd[:, None]


@pitfall(replaces="normalized_laplacian", why="np.fill_diagonal(A, 0) on the caller's affinity matrix: right L, "
         "but A loses its self-loops")
def laplacian_zeroes_caller_diagonal(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    np.fill_diagonal(A, 0.0)
    dd = np.sqrt(A.sum(axis=1))
    return np.eye(len(A)) - A / np.outer(dd, dd), dd
