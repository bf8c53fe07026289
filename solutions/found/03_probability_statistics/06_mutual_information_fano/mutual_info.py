"""Reference solution for found-03-6."""
from __future__ import annotations

import numpy as np


def check_joint(P: np.ndarray) -> np.ndarray:
    """P as float64, divided by its sum; ValueError unless 2-D, non-negative, with a positive sum."""
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or np.any(P < 0) or not P.sum() > 0:
        raise ValueError("P must be a 2-D table of non-negative weights with a positive sum")
    return P / P.sum()


def _h(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def conditional_entropy(P: np.ndarray) -> float:
    P = check_joint(P)
    return _h(P.ravel()) - _h(P.sum(axis=0))


def mutual_information_joint(P: np.ndarray) -> float:
    P = check_joint(P)
    return max(_h(P.sum(axis=1)) + _h(P.sum(axis=0)) - _h(P.ravel()), 0.0)


def mutual_information(x: np.ndarray, y: np.ndarray) -> float:
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 1 or len(x) == 0:
        raise ValueError("x and y must be non-empty 1-D label arrays of the same length")
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    counts = np.zeros((xi.max() + 1, yi.max() + 1))
    np.add.at(counts, (xi, yi), 1.0)
    return mutual_information_joint(counts)


def fano_lower_bound(h_x_given_y: float, k: int) -> float:
    if k < 2 or h_x_given_y < 0 or h_x_given_y > np.log(k) + 1e-12:
        raise ValueError(f"need k >= 2 and 0 <= H(X|Y) <= log k, got {h_x_given_y}, {k}")
    def bound(p: float) -> float:
        hb = 0.0 if p in (0.0, 1.0) else -p * np.log(p) - (1 - p) * np.log(1 - p)
        return hb + p * np.log(k - 1)
    lo, hi = 0.0, (k - 1) / k
    if h_x_given_y == 0.0:
        return 0.0
    if h_x_given_y >= bound(hi):
        return hi
    for _ in range(200):
        mid = (lo + hi) / 2
        if bound(mid) >= h_x_given_y:
            hi = mid
        else:
            lo = mid
    return hi
