"""found-03-5: entropy, cross-entropy and KL divergence. Edit this file; `grader check found-03-5` tests it."""
from __future__ import annotations

import numpy as np


def normalised(p: np.ndarray) -> np.ndarray:
    """p / p.sum() as float64; ValueError for a non-1-D, negative or all-zero p."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1 or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("p must be a 1-D array of non-negative weights with a positive sum")
    return p / p.sum()


def entropy(p: np.ndarray, base: float | None = None) -> float:
    """Shannon entropy H(p) = −Σ p_i log p_i of normalised(p), with 0 · log 0 = 0.

    base=None gives nats (natural log); base=2 gives bits. Like scipy.stats.entropy(p, base=base).

    Raises:
        ValueError: as normalised.
    """
    raise NotImplementedError("entropy: -sum p log p over the nonzero p")


def kl_divergence(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    """KL(p ‖ q) = Σ p_i log(p_i / q_i) of the normalised p and q, like scipy.stats.entropy(p, q, base=base).

    Terms with p_i = 0 contribute 0; if some q_i = 0 where p_i > 0 the divergence is inf.

    Raises:
        ValueError: as normalised, or if p and q have different lengths.
    """
    raise NotImplementedError("kl_divergence: sum p log(p / q) over the support of p")


def cross_entropy(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    """H(p, q) = −Σ p_i log q_i of the normalised p and q (inf if q_i = 0 where p_i > 0).

    It equals H(p) + KL(p ‖ q): the code length of p's data under a code built for q.

    Raises:
        ValueError: as kl_divergence.
    """
    raise NotImplementedError("cross_entropy: -sum p log q")


def gaussian_entropy(cov: np.ndarray) -> float:
    """Differential entropy of N(mu, cov) in nats: ½ (k log(2πe) + log det cov). (A 1-D cov may be a scalar.)

    Raises:
        ValueError: if cov is not positive definite (its determinant is not positive).
    """
    raise NotImplementedError("gaussian_entropy: half of k log(2 pi e) + log det")


def kl_gaussian(mu0: np.ndarray, cov0: np.ndarray, mu1: np.ndarray, cov1: np.ndarray) -> float:
    """KL(N(mu0, cov0) ‖ N(mu1, cov1)) in nats, k-dimensional (scalars allowed for k = 1):

    ½ [ tr(cov1⁻¹ cov0) + (mu1 − mu0)ᵀ cov1⁻¹ (mu1 − mu0) − k + log det cov1 − log det cov0 ].
    Use solves and slogdet, not explicit inverses and det.

    Raises:
        ValueError: if a covariance is not positive definite.
    """
    raise NotImplementedError("kl_gaussian: trace + Mahalanobis - k + log-det ratio, halved")
