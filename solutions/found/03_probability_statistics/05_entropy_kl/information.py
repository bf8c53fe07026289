"""Reference solution for found-03-5."""
from __future__ import annotations

import numpy as np


def normalised(p: np.ndarray) -> np.ndarray:
    """p / p.sum() as float64; ValueError for a non-1-D, negative or all-zero p."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1 or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("p must be a 1-D array of non-negative weights with a positive sum")
    return p / p.sum()


def entropy(p: np.ndarray, base: float | None = None) -> float:
    p = normalised(p)
    nz = p > 0
    h = -float(np.sum(p[nz] * np.log(p[nz])))
    return h / np.log(base) if base is not None else h


def kl_divergence(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    p, q = normalised(p), normalised(q)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length, got {p.shape} and {q.shape}")
    nz = p > 0
    if np.any(q[nz] == 0):
        return float("inf")
    d = float(np.sum(p[nz] * np.log(p[nz] / q[nz])))
    return d / np.log(base) if base is not None else d


def cross_entropy(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    return entropy(p, base) + kl_divergence(p, q, base)


def gaussian_entropy(cov: np.ndarray) -> float:
    cov = np.atleast_2d(np.asarray(cov))
    k = cov.shape[0]
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0:
        raise ValueError("cov must be positive definite")
    return float(0.5 * (k * np.log(2 * np.pi * np.e) + logdet))


def kl_gaussian(mu0: np.ndarray, cov0: np.ndarray, mu1: np.ndarray, cov1: np.ndarray) -> float:
    mu0, mu1 = np.atleast_1d(np.asarray(mu0)), np.atleast_1d(np.asarray(mu1))
    cov0, cov1 = np.atleast_2d(np.asarray(cov0)), np.atleast_2d(np.asarray(cov1))
    k = len(mu0)
    s0, logdet0 = np.linalg.slogdet(cov0)
    s1, logdet1 = np.linalg.slogdet(cov1)
    if s0 <= 0 or s1 <= 0:
        raise ValueError("covariances must be positive definite")
    diff = mu1 - mu0
    trace = float(np.trace(np.linalg.solve(cov1, cov0)))
    maha = float(diff @ np.linalg.solve(cov1, diff))
    return 0.5 * (trace + maha - k + logdet1 - logdet0)
