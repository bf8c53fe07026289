"""Reference solution for found-03-4."""
from __future__ import annotations

import numpy as np
from scipy import stats


def one_sample_t(x: np.ndarray, mu0: float = 0.0) -> tuple[float, float]:
    x = np.asarray(x).ravel()
    n = len(x)
    if n < 2:
        raise ValueError(f"need at least 2 values, got {n}")
    t = (x.mean() - mu0) / (x.std(ddof=1) / np.sqrt(n))
    return float(t), float(2 * stats.t.sf(abs(t), df=n - 1))


def two_sample_t(x: np.ndarray, y: np.ndarray, equal_var: bool = True) -> tuple[float, float, float]:
    x, y = np.asarray(x).ravel(), np.asarray(y).ravel()
    nx, ny = len(x), len(y)
    if nx < 2 or ny < 2:
        raise ValueError(f"need at least 2 values in each sample, got {nx} and {ny}")
    vx, vy = x.var(ddof=1), y.var(ddof=1)
    if equal_var:
        df = nx + ny - 2
        pooled = ((nx - 1) * vx + (ny - 1) * vy) / df
        se = np.sqrt(pooled * (1 / nx + 1 / ny))
    else:
        a, b = vx / nx, vy / ny
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (nx - 1) + b**2 / (ny - 1))
    t = (x.mean() - y.mean()) / se
    return float(t), float(2 * stats.t.sf(abs(t), df=df)), float(df)


def chi2_independence(table: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    table = np.asarray(table)
    if table.ndim != 2 or min(table.shape) < 2 or np.any(table < 0):
        raise ValueError("need a 2-D table of non-negative counts with at least 2 rows and 2 columns")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if np.any(expected == 0):
        raise ValueError("a row or column sums to zero: the expected counts are undefined")
    chi2 = float(np.sum((table - expected) ** 2 / expected))
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    return chi2, float(stats.chi2.sf(chi2, dof)), dof, expected
