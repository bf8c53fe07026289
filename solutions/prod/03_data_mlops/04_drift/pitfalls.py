"""Plausible wrong drift statistics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from drift import ks_2samp, psi


def _check(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or b.ndim != 1 or a.size == 0 or b.size == 0:
        raise ValueError("bad inputs")
    return np.sort(a), np.sort(b)


@pitfall(replaces="ks_2samp", why="evaluates the two CDFs only at the reference values and misses gaps at the current ones")
def reference_grid_only(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    a, b = _check(reference, current)
    d = float(np.max(np.abs(np.searchsorted(a, a, side="right") / a.size - np.searchsorted(b, a, side="right") / b.size)))
    m, n = sorted([float(a.size), float(b.size)], reverse=True)
    return d, float(np.clip(stats.kstwo.sf(d, np.round(m * n / (m + n))), 0, 1))


@pitfall(replaces="ks_2samp", why="p-value from the limiting Kolmogorov distribution kstwobign(D sqrt(en)), not kstwo")
def limiting_distribution(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    a, b = _check(reference, current)
    grid = np.concatenate([a, b])
    d = float(np.max(np.abs(np.searchsorted(a, grid, side="right") / a.size - np.searchsorted(b, grid, side="right") / b.size)))
    en = a.size * b.size / (a.size + b.size)
    return d, float(stats.kstwobign.sf(d * np.sqrt(en)))


def _shares(reference: np.ndarray, current: np.ndarray, n_bins: int, eps: float, side: str = "right",
            pooled: bool = False) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(reference), np.asarray(current)
    if a.ndim != 1 or b.ndim != 1 or a.size == 0 or b.size == 0 or n_bins < 1 or eps <= 0:
        raise ValueError("bad inputs")
    edges = np.quantile(np.concatenate([a, b]) if pooled else a, np.linspace(0, 1, n_bins + 1)[1:-1])
    r = np.bincount(np.searchsorted(edges, a, side=side), minlength=n_bins) / a.size
    c = np.bincount(np.searchsorted(edges, b, side=side), minlength=n_bins) / b.size
    return r, c


@pitfall(replaces="psi", why="no eps floor: an empty bin gives log(0) and an infinite or NaN PSI")
def no_floor(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    r, c = _shares(reference, current, n_bins, eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((c - r) * np.log(c / r)))


@pitfall(replaces="psi", why="bins on quantiles of the pooled data instead of the reference alone")
def pooled_bins(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    r, c = _shares(reference, current, n_bins, eps, pooled=True)
    r, c = np.maximum(r, eps), np.maximum(c, eps)
    return float(np.sum((c - r) * np.log(c / r)))


@pitfall(replaces="psi", why="a value equal to an edge goes to the bin below it")
def edge_goes_down(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    r, c = _shares(reference, current, n_bins, eps, side="left")
    r, c = np.maximum(r, eps), np.maximum(c, eps)
    return float(np.sum((c - r) * np.log(c / r)))


@pitfall(replaces="psi", why="one-sided KL divergence sum c ln(c / r) instead of the symmetric PSI")
def kl_only(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    r, c = _shares(reference, current, n_bins, eps)
    r, c = np.maximum(r, eps), np.maximum(c, eps)
    return float(np.sum(c * np.log(c / r)))


@pitfall(replaces="detect_drift", why="flags drift when PSI equals the threshold (>= instead of >)")
def inclusive_threshold(reference: np.ndarray, current: np.ndarray, *, psi_threshold: float = 0.2,
                        alpha: float = 0.05, n_bins: int = 10) -> dict[str, np.ndarray]:
    ref, cur = np.asarray(reference), np.asarray(current)
    if ref.ndim != 2 or cur.ndim != 2 or ref.shape[1] != cur.shape[1]:
        raise ValueError("bad inputs")
    psis = np.array([psi(ref[:, j], cur[:, j], n_bins=n_bins) for j in range(ref.shape[1])])
    ks = np.array([ks_2samp(ref[:, j], cur[:, j]) for j in range(ref.shape[1])]).reshape(-1, 2)
    return {"psi": psis, "ks": ks[:, 0], "p_value": ks[:, 1], "drifted": (psis >= psi_threshold) | (ks[:, 1] < alpha)}


@pitfall(replaces="detect_drift", why="ignores n_bins and always uses the default 10 PSI bins")
def default_bins(reference: np.ndarray, current: np.ndarray, *, psi_threshold: float = 0.2,
                 alpha: float = 0.05, n_bins: int = 10) -> dict[str, np.ndarray]:
    ref, cur = np.asarray(reference), np.asarray(current)
    if ref.ndim != 2 or cur.ndim != 2 or ref.shape[1] != cur.shape[1]:
        raise ValueError("bad inputs")
    psis = np.array([psi(ref[:, j], cur[:, j]) for j in range(ref.shape[1])])
    ks = np.array([ks_2samp(ref[:, j], cur[:, j]) for j in range(ref.shape[1])]).reshape(-1, 2)
    return {"psi": psis, "ks": ks[:, 0], "p_value": ks[:, 1], "drifted": (psis > psi_threshold) | (ks[:, 1] < alpha)}
