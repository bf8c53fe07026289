"""Reference solution for found-03-8."""
from __future__ import annotations

import numpy as np


def check_stochastic(P: np.ndarray) -> np.ndarray:
    """P as float64; ValueError unless square, non-negative, with rows summing to 1 (to 1e-9)."""
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or np.any(P < 0) or not np.allclose(P.sum(axis=1), 1, atol=1e-9):
        raise ValueError("P must be a square row-stochastic matrix")
    return P


def n_step(P: np.ndarray, n: int) -> np.ndarray:
    P = check_stochastic(P)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    result, power = np.eye(len(P)), P
    while n:
        if n & 1:
            result = result @ power
        power = power @ power
        n >>= 1
    return result


def distribution_after(pi0: np.ndarray, P: np.ndarray, n: int) -> np.ndarray:
    return np.asarray(pi0) @ n_step(P, n)


def stationary_distribution(P: np.ndarray) -> np.ndarray:
    P = check_stochastic(P)
    vals, vecs = np.linalg.eig(P.T)
    v = np.real(vecs[:, int(np.argmin(np.abs(vals - 1.0)))])
    return v / v.sum()


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    return 0.5 * float(np.sum(np.abs(np.asarray(p) - np.asarray(q))))


def mixing_time(P: np.ndarray, eps: float = 0.25, max_t: int = 10000) -> int:
    P = check_stochastic(P)
    if not 0 < eps < 1:
        raise ValueError(f"eps must be in (0, 1), got {eps}")
    pi = stationary_distribution(P)
    Pt = np.eye(len(P))
    for t in range(max_t + 1):
        if max(total_variation(row, pi) for row in Pt) <= eps:
            return t
        Pt = Pt @ P
    raise ValueError(f"the chain has not mixed to {eps} within {max_t} steps (periodic or reducible?)")
