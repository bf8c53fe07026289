"""Plausible wrong versions of the t-SNE pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tsne import conditional_probabilities, squared_distances


def _search(D: np.ndarray, perplexity: float, tol: float, max_iter: int, *, bits: bool = False,
            keep_self: bool = False, shift: bool = True) -> tuple[np.ndarray, np.ndarray]:
    n = D.shape[0]
    target = np.log(perplexity)
    P, betas = np.zeros((n, n)), np.ones(n)
    for i in range(n):
        cols = np.arange(n) if keep_self else np.flatnonzero(np.arange(n) != i)
        d = D[i, cols] - (D[i, cols].min() if shift else 0.0)
        beta, lo, hi = 1.0, 0.0, np.inf
        for _ in range(max_iter):
            w = np.exp(-beta * d)
            p = w / w.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                entropy = -np.sum(np.where(p > 0, p * (np.log2(p) if bits else np.log(p)), 0.0))
            if abs(entropy - target) <= tol:
                break
            if entropy > target:
                lo = beta
                beta = beta * 2.0 if hi == np.inf else (beta + hi) / 2.0
            else:
                hi = beta
                beta = (beta + lo) / 2.0
        P[i, cols] = p
        betas[i] = beta
    return P, betas


@pitfall(replaces="conditional_probabilities", why="entropy in bits (log2) compared with log(perplexity) in nats")
def entropy_in_bits(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                    max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    return _search(np.asarray(sq_distances, dtype=np.float64), perplexity, tol, max_iter, bits=True)


@pitfall(replaces="conditional_probabilities", why="keeps j = i in each row: the point is its own nearest neighbour")
def includes_self(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                  max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    return _search(np.asarray(sq_distances, dtype=np.float64), perplexity, tol, max_iter, keep_self=True)


@pitfall(replaces="conditional_probabilities", why="exp(-beta d) without shifting d: every weight underflows to 0 on far-apart data")
def unshifted_exp(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                  max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        return _search(np.asarray(sq_distances, dtype=np.float64), perplexity, tol, max_iter, shift=False)


@pitfall(replaces="joint_probabilities", why="symmetrises with (P + P^T) / 2: the matrix sums to n, not 1")
def forgets_n(X: np.ndarray, perplexity: float) -> np.ndarray:
    P, _ = conditional_probabilities(squared_distances(np.asarray(X, dtype=np.float64)), perplexity)
    return (P + P.T) / 2.0


def _kl(P: np.ndarray, Y: np.ndarray, *, factor: float = 4.0, diag_in_z: bool = False,
        kernel_in_grad: bool = True) -> tuple[float, np.ndarray]:
    n = Y.shape[0]
    W = 1.0 / (1.0 + squared_distances(Y))
    Z = W.sum() if diag_in_z else W.sum() - n
    W[np.arange(n), np.arange(n)] = 0.0
    Q = W / Z
    mask = P > 0
    kl = float(np.sum(P[mask] * np.log(P[mask] / Q[mask])))
    M = (P - Q) * W if kernel_in_grad else (P - Q)
    return kl, factor * (M.sum(axis=1)[:, None] * Y - M @ Y)


@pitfall(replaces="kl_divergence_and_gradient", why="SNE's factor 2 instead of t-SNE's 4 in the gradient")
def factor_two(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    return _kl(P, Y, factor=2.0)


@pitfall(replaces="kl_divergence_and_gradient", why="normalises Q over all pairs, including the n terms i = j")
def diagonal_in_normaliser(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    return _kl(P, Y, diag_in_z=True)


@pitfall(replaces="kl_divergence_and_gradient", why="drops the (1 + |y_i - y_j|^2)^-1 factor from the gradient")
def gradient_without_kernel(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    return _kl(P, Y, kernel_in_grad=False)


@pitfall(replaces="kl_divergence_and_gradient", why="sum of p log(p/q) over every pair: 0 * log 0 gives NaN")
def nan_for_zero_p(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    _, grad = _kl(P, Y)
    n = Y.shape[0]
    W = 1.0 / (1.0 + squared_distances(Y))
    W[np.arange(n), np.arange(n)] = 0.0
    Q = W / W.sum()
    off = ~np.eye(n, dtype=bool)
    with np.errstate(all="ignore"):
        kl = float(np.sum(P[off] * np.log(P[off] / Q[off])))
    return kl, grad


@pitfall(replaces="conditional_probabilities", why="np.fill_diagonal(sq_distances, inf) on the caller's matrix")
def fills_caller_diagonal(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                              max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    D = sq_distances
    np.fill_diagonal(D, np.inf)  # the caller's matrix loses its zero diagonal
    n = D.shape[0]
    target = np.log(perplexity)
    P = np.zeros((n, n))
    betas = np.ones(n)
    for i in range(n):
        d = np.delete(D[i], i)
        d = d - d.min()  # shifting by a constant changes no probability, and keeps exp() from underflowing
        beta, lo, hi = 1.0, 0.0, np.inf
        for _ in range(max_iter):
            w = np.exp(-beta * d)
            p = w / w.sum()
            entropy = np.log(w.sum()) + beta * np.dot(p, d)
            if abs(entropy - target) <= tol:
                break
            if entropy > target:  # too flat: sharpen
                lo = beta
                beta = beta * 2.0 if hi == np.inf else (beta + hi) / 2.0
            else:
                hi = beta
                beta = (beta + lo) / 2.0
        P[i, np.arange(n) != i] = p
        betas[i] = beta
    return P, betas
