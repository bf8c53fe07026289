"""Reference solution for prod-01-6."""
from __future__ import annotations

import numpy as np


def cohen_kappa(a: np.ndarray, b: np.ndarray, weights: str | None = None) -> float:
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ValueError("need two non-empty 1-D label arrays of the same length")
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"unknown weights {weights!r}")
    labels, codes = np.unique(np.concatenate([a, b]), return_inverse=True)
    k = len(labels)
    ia, ib = codes[: a.size], codes[a.size:]
    observed = np.zeros((k, k))
    np.add.at(observed, (ia, ib), 1.0)
    observed /= a.size
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    diff = np.abs(np.arange(k)[:, None] - np.arange(k)[None, :]).astype(np.float64)
    if weights is None:
        w = (diff > 0).astype(np.float64)
    elif weights == "linear":
        w = diff
    else:
        w = diff ** 2
    denom = (w * expected).sum()
    if denom == 0:
        raise ValueError("kappa is undefined: both raters used one and the same label")
    return float(1.0 - (w * observed).sum() / denom)


def krippendorff_alpha(data: np.ndarray, level: str = "nominal") -> float:
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"need a (raters, units) array, got shape {x.shape}")
    if level not in ("nominal", "interval"):
        raise ValueError(f"unknown level {level!r}")

    def delta2(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return (u != v).astype(np.float64) if level == "nominal" else (u - v) ** 2

    pairable, observed = [], 0.0
    for unit in x.T:
        v = unit[~np.isnan(unit)]
        if v.size < 2:
            continue
        observed += delta2(v[:, None], v[None, :]).sum() / (v.size - 1)
        pairable.append(v)
    if not pairable:
        raise ValueError("no unit has two values: alpha is undefined")
    values = np.concatenate(pairable)
    n = values.size
    expected = delta2(values[:, None], values[None, :]).sum() / (n - 1)
    if expected == 0:
        raise ValueError("alpha is undefined: every pairable value is the same")
    return float(1.0 - observed / expected)
