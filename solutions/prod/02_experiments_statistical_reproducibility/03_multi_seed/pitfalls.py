"""Plausible wrong multi-seed reports that the tests must reject."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from grader.pitfalls import pitfall


def _summary(scores: np.ndarray, confidence: float, ddof: int, quantile: float) -> dict[str, float]:
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim != 1 or x.size < 2 or not 0 < confidence < 1:
        raise ValueError("bad inputs")
    mean, std = float(x.mean()), float(x.std(ddof=ddof))
    half = quantile * std / math.sqrt(x.size)
    return {"mean": mean, "std": std, "ci_low": mean - half, "ci_high": mean + half, "n": x.size, "confidence": confidence}


@pitfall(replaces="summarize_seeds", why="normal quantile z instead of Student t: far too narrow with a handful of seeds")
def z_interval(scores: np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    return _summary(scores, confidence, 1, float(stats.norm.ppf((1 + confidence) / 2)))


@pitfall(replaces="summarize_seeds", why="np.std's default ddof=0: the spread of 5 seeds is understated")
def biased_std(scores: np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    n = np.asarray(scores).size
    return _summary(scores, confidence, 0, float(stats.t.ppf((1 + confidence) / 2, max(n - 1, 1))))


def _check(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or b.ndim != 1 or a.size < 2 or b.size < 2:
        raise ValueError("bad inputs")
    return a, b


def _paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if a.shape != b.shape:
        raise ValueError("bad inputs")
    d = a - b
    se = d.std(ddof=1) / math.sqrt(d.size)
    if se == 0:
        raise ValueError("undefined")
    t = d.mean() / se
    return float(t), float(2 * stats.t.sf(abs(t), d.size - 1))


@pitfall(replaces="compare_runs", why="Student's pooled-variance t-test instead of Welch's")
def pooled_variance(a: np.ndarray, b: np.ndarray, *, paired: bool = False) -> tuple[float, float]:
    a, b = _check(a, b)
    if paired:
        return _paired(a, b)
    na, nb = a.size, b.size
    sp = ((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2)
    if sp == 0:
        raise ValueError("undefined")
    t = (a.mean() - b.mean()) / math.sqrt(sp * (1 / na + 1 / nb))
    return float(t), float(2 * stats.t.sf(abs(t), na + nb - 2))


@pitfall(replaces="compare_runs", why="Welch's t statistic with n_a + n_b - 2 degrees of freedom instead of Welch-Satterthwaite")
def wrong_df(a: np.ndarray, b: np.ndarray, *, paired: bool = False) -> tuple[float, float]:
    a, b = _check(a, b)
    if paired:
        return _paired(a, b)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if va + vb == 0:
        raise ValueError("undefined")
    t = (a.mean() - b.mean()) / math.sqrt(va + vb)
    return float(t), float(2 * stats.t.sf(abs(t), a.size + b.size - 2))


@pitfall(replaces="compare_runs", why="ignores paired=True: seed-to-seed noise swamps a consistent per-seed improvement")
def never_paired(a: np.ndarray, b: np.ndarray, *, paired: bool = False) -> tuple[float, float]:
    a, b = _check(a, b)
    if paired and a.shape != b.shape:
        raise ValueError("bad inputs")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if va + vb == 0:
        raise ValueError("undefined")
    t = (a.mean() - b.mean()) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1))
    return float(t), float(2 * stats.t.sf(abs(t), df))


@pitfall(replaces="format_summary", why="prints '95% CI' whatever the confidence level was")
def fixed_level(summary: dict[str, float], digits: int = 3) -> str:
    m, s, lo, hi, n = summary["mean"], summary["std"], summary["ci_low"], summary["ci_high"], summary["n"]
    return f"{m:.{digits}f} ± {s:.{digits}f} (95% CI [{lo:.{digits}f}, {hi:.{digits}f}], n={n})"
