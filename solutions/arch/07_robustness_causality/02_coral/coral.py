"""Reference solution for arch-07-2."""
from __future__ import annotations

import numpy as np


def _check(source: np.ndarray, target: np.ndarray) -> None:
    if source.ndim != 2 or target.ndim != 2 or source.shape[1] != target.shape[1]:
        raise ValueError("source and target must be (n, d) arrays with the same d")
    if len(source) < 2 or len(target) < 2:
        raise ValueError("need at least two samples per domain for a covariance")


def _sym_power(c: np.ndarray, power: float) -> np.ndarray:
    """c ** power for a symmetric positive (semi-)definite c, by eigendecomposition."""
    vals, vecs = np.linalg.eigh(c)
    vals = np.maximum(vals, 0.0)      # round-off can make a zero eigenvalue slightly negative
    return (vecs * vals ** power) @ vecs.T


def coral_loss(source: np.ndarray, target: np.ndarray) -> float:
    _check(source, target)
    d = source.shape[1]
    diff = np.cov(source, rowvar=False) - np.cov(target, rowvar=False)
    return float(np.sum(np.atleast_2d(diff) ** 2) / (4 * d * d))


def coral_align(source: np.ndarray, target: np.ndarray, eps: float = 1.0) -> np.ndarray:
    _check(source, target)
    if eps < 0:
        raise ValueError("eps must be >= 0")
    eye = np.eye(source.shape[1])
    c_s = np.atleast_2d(np.cov(source, rowvar=False)) + eps * eye
    c_t = np.atleast_2d(np.cov(target, rowvar=False)) + eps * eye
    a = _sym_power(c_s, -0.5) @ _sym_power(c_t, 0.5)
    return (source - source.mean(axis=0)) @ a + target.mean(axis=0)
