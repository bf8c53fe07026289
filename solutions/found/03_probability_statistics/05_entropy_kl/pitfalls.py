"""Plausible wrong entropies and divergences that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from information import entropy, kl_divergence, kl_gaussian, normalised

_entropy, _kl, _klg = entropy, kl_divergence, kl_gaussian


@pitfall(replaces="entropy", why="does not normalise p: weights that sum to 10 give the wrong entropy")
def entropy_unnormalised(p: np.ndarray, base: float | None = None) -> float:
    normalised(p)
    p = np.asarray(p, dtype=np.float64)
    nz = p > 0
    h = -float(np.sum(p[nz] * np.log(p[nz])))
    return h / np.log(base) if base is not None else h


@pitfall(replaces="entropy", why="no mask for p = 0: 0 · log 0 = 0 · (−inf) = NaN")
def entropy_nan_zeros(p: np.ndarray, base: float | None = None) -> float:
    p = normalised(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -float(np.sum(p * np.log(p)))
    return h / np.log(base) if base is not None else h


@pitfall(replaces="entropy", why="ignores base: always nats")
def entropy_ignores_base(p: np.ndarray, base: float | None = None) -> float:
    return _entropy(p)


@pitfall(replaces="kl_divergence", why="arguments swapped: KL(q ‖ p)")
def kl_reversed(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    return _kl(q, p, base)


@pitfall(replaces="kl_divergence", why="masks on q > 0 instead of p > 0: KL is finite where it should be inf")
def kl_masks_q(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    p, q = normalised(p), normalised(q)
    if p.shape != q.shape:
        raise ValueError("shapes")
    m = (p > 0) & (q > 0)
    d = float(np.sum(p[m] * np.log(p[m] / q[m])))
    return d / np.log(base) if base is not None else d


@pitfall(replaces="cross_entropy", why="−Σ q log p: the roles of p and q swapped")
def ce_swapped(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    return _entropy(q, base) + _kl(q, p, base)


@pitfall(replaces="gaussian_entropy", why="½ log det cov without the k log(2πe) term")
def gauss_entropy_no_constant(cov: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(np.atleast_2d(np.asarray(cov, dtype=np.float64)))
    if sign <= 0:
        raise ValueError("pd")
    return float(0.5 * logdet)


@pitfall(replaces="kl_gaussian", why="the log-determinant ratio upside down: log det cov0 − log det cov1")
def klg_det_flipped(mu0: np.ndarray, cov0: np.ndarray, mu1: np.ndarray, cov1: np.ndarray) -> float:
    c0, c1 = np.atleast_2d(np.asarray(cov0, dtype=np.float64)), np.atleast_2d(np.asarray(cov1, dtype=np.float64))
    d = _klg(mu0, cov0, mu1, cov1)
    return d - (np.linalg.slogdet(c1)[1] - np.linalg.slogdet(c0)[1])


@pitfall(replaces="kl_gaussian", why="Mahalanobis term with cov0⁻¹ instead of cov1⁻¹")
def klg_wrong_precision(mu0: np.ndarray, cov0: np.ndarray, mu1: np.ndarray, cov1: np.ndarray) -> float:
    m0, m1 = np.atleast_1d(np.asarray(mu0, dtype=np.float64)), np.atleast_1d(np.asarray(mu1, dtype=np.float64))
    c0, c1 = np.atleast_2d(np.asarray(cov0, dtype=np.float64)), np.atleast_2d(np.asarray(cov1, dtype=np.float64))
    d, diff = _klg(mu0, cov0, mu1, cov1), m1 - m0
    return d - 0.5 * diff @ np.linalg.solve(c1, diff) + 0.5 * diff @ np.linalg.solve(c0, diff)
