"""Reference solution for prod-03-4."""
from __future__ import annotations

import numpy as np
from scipy import stats


def ks_2samp(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    a, b = np.asarray(reference), np.asarray(current)
    if a.ndim != 1 or b.ndim != 1 or a.size == 0 or b.size == 0:
        raise ValueError("need two non-empty 1-D samples")
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    d = float(np.max(np.abs(cdf_a - cdf_b)))
    m, n = sorted([float(a.size), float(b.size)], reverse=True)
    p = float(np.clip(stats.kstwo.sf(d, np.round(m * n / (m + n))), 0.0, 1.0))
    return d, p


def psi(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    a, b = np.asarray(reference), np.asarray(current)
    if a.ndim != 1 or b.ndim != 1 or a.size == 0 or b.size == 0:
        raise ValueError("need two non-empty 1-D samples")
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    if eps <= 0:
        raise ValueError("eps must be positive")
    edges = np.quantile(a, np.linspace(0.0, 1.0, n_bins + 1)[1:-1])
    r = np.bincount(np.searchsorted(edges, a, side="right"), minlength=n_bins) / a.size
    c = np.bincount(np.searchsorted(edges, b, side="right"), minlength=n_bins) / b.size
    r, c = np.maximum(r, eps), np.maximum(c, eps)
    return float(np.sum((c - r) * np.log(c / r)))


def detect_drift(reference: np.ndarray, current: np.ndarray, *, psi_threshold: float = 0.2,
                 alpha: float = 0.05, n_bins: int = 10) -> dict[str, np.ndarray]:
    ref, cur = np.asarray(reference), np.asarray(current)
    if ref.ndim != 2 or cur.ndim != 2 or ref.shape[1] != cur.shape[1]:
        raise ValueError("need two 2-D samples with the same features")
    psis = np.array([psi(ref[:, j], cur[:, j], n_bins=n_bins) for j in range(ref.shape[1])])
    ks = np.array([ks_2samp(ref[:, j], cur[:, j]) for j in range(ref.shape[1])])
    return {"psi": psis, "ks": ks[:, 0], "p_value": ks[:, 1],
            "drifted": (psis > psi_threshold) | (ks[:, 1] < alpha)}
