"""Reference solution for prod-01-5."""
from __future__ import annotations

import numpy as np


def win_rate_ci(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
                seed: int = 0) -> tuple[float, float, float]:
    x = np.asarray(outcomes, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError("need a non-empty 1-D array of outcomes")
    if not np.all(np.isin(x, (0.0, 0.5, 1.0))):
        raise ValueError("outcomes must be 1 (A wins), 0 (B wins) or 0.5 (tie)")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got {n_resamples}")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_resamples, x.size))
    means = x[idx].mean(axis=-1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return float(x.mean()), float(low), float(high)


def bradley_terry(wins: np.ndarray) -> np.ndarray:
    w = np.asarray(wins, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] < 2:
        raise ValueError(f"need a square (K, K) win matrix with K >= 2, got shape {w.shape}")
    if np.any(w < 0) or np.any(np.diag(w) != 0):
        raise ValueError("wins must be non-negative with a zero diagonal")
    n = w + w.T
    total_wins = w.sum(axis=1)
    s = np.zeros(len(w))
    for _ in range(100_000):
        p = np.exp(s)
        new = np.log(total_wins / (n / (p[:, None] + p[None, :])).sum(axis=1))
        new -= new.mean()
        done = np.all(np.abs(new - s) < 1e-13)
        s = new
        if done:
            break
    return s
