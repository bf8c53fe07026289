"""Reference solution for prod-02-3."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats


def summarize_seeds(scores: np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    x = np.asarray(scores)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("need a 1-D array of at least two seeds' scores")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie in (0, 1)")
    n = x.size
    mean, std = float(x.mean()), float(x.std(ddof=1))
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * std / math.sqrt(n)
    return {"mean": mean, "std": std, "ci_low": mean - half, "ci_high": mean + half, "n": n, "confidence": confidence}


def compare_runs(a: np.ndarray, b: np.ndarray, *, paired: bool = False) -> tuple[float, float]:
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or b.ndim != 1 or a.size < 2 or b.size < 2:
        raise ValueError("need two 1-D arrays of at least two scores")
    if paired:
        if a.shape != b.shape:
            raise ValueError("paired runs need the same seeds on both sides")
        d = a - b
        se = d.std(ddof=1) / math.sqrt(d.size)
        if se == 0:
            raise ValueError("the paired differences do not vary: t is undefined")
        t, df = d.mean() / se, d.size - 1
    else:
        va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
        if va + vb == 0:
            raise ValueError("neither run varies: t is undefined")
        t = (a.mean() - b.mean()) / math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1))
    return float(t), float(2 * stats.t.sf(abs(t), df))


def format_summary(summary: dict[str, float], digits: int = 3) -> str:
    m, s, lo, hi, n = summary["mean"], summary["std"], summary["ci_low"], summary["ci_high"], summary["n"]
    level = f"{100 * summary['confidence']:g}"
    return f"{m:.{digits}f} ± {s:.{digits}f} ({level}% CI [{lo:.{digits}f}, {hi:.{digits}f}], n={n})"
