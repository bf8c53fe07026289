"""Plausible wrong agreement statistics that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _tables(a: np.ndarray, b: np.ndarray, weights: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0 or weights not in (None, "linear", "quadratic"):
        raise ValueError("bad inputs")
    labels, codes = np.unique(np.concatenate([a, b]), return_inverse=True)
    k = len(labels)
    observed = np.zeros((k, k))
    np.add.at(observed, (codes[: a.size], codes[a.size:]), 1.0 / a.size)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    return labels, observed, expected


@pitfall(replaces="cohen_kappa", why="weights by the label values |a - b| instead of their ranks in the sorted label set")
def value_weights(a: np.ndarray, b: np.ndarray, weights: str | None = None) -> float:
    labels, o, e = _tables(a, b, weights)
    diff = np.abs(labels[:, None] - labels[None, :]).astype(np.float64)
    w = (diff > 0).astype(np.float64) if weights is None else diff if weights == "linear" else diff ** 2
    if (w * e).sum() == 0:
        raise ValueError("undefined")
    return float(1 - (w * o).sum() / (w * e).sum())


@pitfall(replaces="cohen_kappa", why="chance agreement from one pooled marginal (Scott's pi) instead of each rater's own")
def pooled_marginals(a: np.ndarray, b: np.ndarray, weights: str | None = None) -> float:
    labels, o, _ = _tables(a, b, weights)
    m = (o.sum(axis=0) + o.sum(axis=1)) / 2
    e = np.outer(m, m)
    k = len(labels)
    diff = np.abs(np.arange(k)[:, None] - np.arange(k)[None, :]).astype(np.float64)
    w = (diff > 0).astype(np.float64) if weights is None else diff if weights == "linear" else diff ** 2
    if (w * e).sum() == 0:
        raise ValueError("undefined")
    return float(1 - (w * o).sum() / (w * e).sum())


@pitfall(replaces="cohen_kappa", why="returns the raw agreement rate, without correcting for chance")
def raw_agreement(a: np.ndarray, b: np.ndarray, weights: str | None = None) -> float:
    _, o, e = _tables(a, b, weights)
    if (1 - np.trace(e)) == 0:
        raise ValueError("undefined")
    return float(np.trace(o))


@pitfall(replaces="krippendorff_alpha", why="forgets the 1/(m_u - 1) weight: units rated by many raters count too much")
def unweighted_pairs(data: np.ndarray, level: str = "nominal") -> float:
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or level not in ("nominal", "interval"):
        raise ValueError("bad inputs")
    d = (lambda u, v: (u != v).astype(float)) if level == "nominal" else (lambda u, v: (u - v) ** 2)
    units = [u[~np.isnan(u)] for u in x.T]
    units = [v for v in units if v.size >= 2]
    if not units:
        raise ValueError("no pairable unit")
    obs = sum(d(v[:, None], v[None, :]).sum() for v in units)
    vals = np.concatenate(units)
    exp = d(vals[:, None], vals[None, :]).sum() / (vals.size - 1)
    if exp == 0:
        raise ValueError("undefined")
    return float(1 - obs / exp)


@pitfall(replaces="krippendorff_alpha", why="keeps the lone values of units with a single rating in the expected disagreement")
def keeps_unpairable(data: np.ndarray, level: str = "nominal") -> float:
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or level not in ("nominal", "interval"):
        raise ValueError("bad inputs")
    d = (lambda u, v: (u != v).astype(float)) if level == "nominal" else (lambda u, v: (u - v) ** 2)
    units = [u[~np.isnan(u)] for u in x.T]
    paired = [v for v in units if v.size >= 2]
    if not paired:
        raise ValueError("no pairable unit")
    obs = sum(d(v[:, None], v[None, :]).sum() / (v.size - 1) for v in paired)
    vals = np.concatenate([v for v in units if v.size])
    n_pairable = sum(v.size for v in paired)
    exp = d(vals[:, None], vals[None, :]).sum() / (vals.size - 1) * n_pairable / vals.size
    if exp == 0:
        raise ValueError("undefined")
    return float(1 - obs / exp)


@pitfall(replaces="krippendorff_alpha", why="interval level with |c - k| instead of the squared difference")
def absolute_interval(data: np.ndarray, level: str = "nominal") -> float:
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or level not in ("nominal", "interval"):
        raise ValueError("bad inputs")
    d = (lambda u, v: (u != v).astype(float)) if level == "nominal" else (lambda u, v: np.abs(u - v))
    units = [u[~np.isnan(u)] for u in x.T]
    units = [v for v in units if v.size >= 2]
    if not units:
        raise ValueError("no pairable unit")
    obs = sum(d(v[:, None], v[None, :]).sum() / (v.size - 1) for v in units)
    vals = np.concatenate(units)
    exp = d(vals[:, None], vals[None, :]).sum() / (vals.size - 1)
    if exp == 0:
        raise ValueError("undefined")
    return float(1 - obs / exp)
