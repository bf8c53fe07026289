"""Plausible wrong effect estimators that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="backdoor_adjusted_effect", why="averages the stratum contrasts with equal weights instead of P(z)")
def unweighted_strata(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    diffs = []
    for v in np.unique(z):
        t, c = (z == v) & (x == 1), (z == v) & (x == 0)
        if not (t.any() and c.any()):
            raise ValueError("positivity")
        diffs.append(np.mean(y[t]) - np.mean(y[c]))
    return float(np.mean(diffs))


@pitfall(replaces="backdoor_adjusted_effect", why="weights strata by P(z | x = 1): the effect on the treated, not the ATE")
def treated_weights(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    total = 0.0
    for v in np.unique(z):
        t, c = (z == v) & (x == 1), (z == v) & (x == 0)
        if not (t.any() and c.any()):
            raise ValueError("positivity")
        total += (np.mean(y[t]) - np.mean(y[c])) * t.sum() / (x == 1).sum()
    return float(total)


@pitfall(replaces="backdoor_adjusted_effect", why="skips strata without both groups instead of raising")
def skips_empty_strata(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    total = 0.0
    for v in np.unique(z):
        t, c = (z == v) & (x == 1), (z == v) & (x == 0)
        if t.any() and c.any():
            total += (np.mean(y[t]) - np.mean(y[c])) * np.mean(z == v)
    return float(total)


@pitfall(replaces="naive_effect", why="control minus treated (sign flipped)")
def flipped(x: np.ndarray, y: np.ndarray) -> float:
    if not (np.any(x == 1) and np.any(x == 0)):
        raise ValueError("groups")
    return float(np.mean(y[x == 0]) - np.mean(y[x == 1]))


@pitfall(replaces="regression_adjusted_effect", why="no intercept column")
def no_intercept(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    coef, *_ = np.linalg.lstsq(np.column_stack([x, z]), y, rcond=None)
    return float(coef[0])


@pitfall(replaces="regression_adjusted_effect", why="regresses y on x alone: the naive slope")
def without_z(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(x)), x]), y, rcond=None)
    return float(coef[1])
