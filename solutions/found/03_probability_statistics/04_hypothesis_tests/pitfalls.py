"""Plausible wrong test statistics and p-values that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hypothesis_tests import chi2_independence, two_sample_t

_two, _chi2 = two_sample_t, chi2_independence


@pitfall(replaces="one_sample_t", why="standard deviation with ddof=0")
def one_ddof0(x: np.ndarray, mu0: float = 0.0) -> tuple[float, float]:
    x = np.asarray(x, dtype=np.float64).ravel()
    if len(x) < 2:
        raise ValueError("n")
    t = (x.mean() - mu0) / (x.std() / np.sqrt(len(x)))
    return float(t), float(2 * stats.t.sf(abs(t), len(x) - 1))


@pitfall(replaces="one_sample_t", why="one-sided p-value P(T > t)")
def one_one_sided(x: np.ndarray, mu0: float = 0.0) -> tuple[float, float]:
    x = np.asarray(x, dtype=np.float64).ravel()
    if len(x) < 2:
        raise ValueError("n")
    t = (x.mean() - mu0) / (x.std(ddof=1) / np.sqrt(len(x)))
    return float(t), float(stats.t.sf(t, len(x) - 1))


@pitfall(replaces="one_sample_t", why="2·P(T > t) without |t|: p > 1 for negative t")
def one_no_abs(x: np.ndarray, mu0: float = 0.0) -> tuple[float, float]:
    x = np.asarray(x, dtype=np.float64).ravel()
    if len(x) < 2:
        raise ValueError("n")
    t = (x.mean() - mu0) / (x.std(ddof=1) / np.sqrt(len(x)))
    return float(t), float(2 * stats.t.sf(t, len(x) - 1))


@pitfall(replaces="two_sample_t", why="Welch's standard error with the pooled n_x + n_y − 2 degrees of freedom")
def two_welch_wrong_df(x: np.ndarray, y: np.ndarray, equal_var: bool = True) -> tuple[float, float, float]:
    t, p, df = _two(x, y, equal_var)
    if equal_var:
        return t, p, df
    df = len(np.ravel(x)) + len(np.ravel(y)) - 2
    return t, float(2 * stats.t.sf(abs(t), df)), float(df)


@pitfall(replaces="two_sample_t", why="pooled variance as the plain average (s_x² + s_y²)/2, not weighted by n − 1")
def two_unweighted_pool(x: np.ndarray, y: np.ndarray, equal_var: bool = True) -> tuple[float, float, float]:
    if not equal_var:
        return _two(x, y, equal_var)
    x, y = np.asarray(x, dtype=np.float64).ravel(), np.asarray(y, dtype=np.float64).ravel()
    if len(x) < 2 or len(y) < 2:
        raise ValueError("n")
    df = len(x) + len(y) - 2
    se = np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2 * (1 / len(x) + 1 / len(y)))
    t = (x.mean() - y.mean()) / se
    return float(t), float(2 * stats.t.sf(abs(t), df)), float(df)


@pitfall(replaces="two_sample_t", why="ignores equal_var: always the pooled Student test")
def two_ignores_equal_var(x: np.ndarray, y: np.ndarray, equal_var: bool = True) -> tuple[float, float, float]:
    return _two(x, y, True)


@pitfall(replaces="chi2_independence", why="dof = r·c − 1 (the goodness-of-fit count) instead of (r − 1)(c − 1)")
def chi2_wrong_dof(table: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    chi2, _, _, expected = _chi2(table)
    dof = int(np.size(table) - 1)
    return chi2, float(stats.chi2.sf(chi2, dof)), dof, expected


@pitfall(replaces="chi2_independence", why="divides by the observed counts (Neyman's chi-square) instead of the expected ones")
def chi2_divides_by_observed(table: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    _, _, dof, expected = _chi2(table)
    obs = np.asarray(table, dtype=np.float64)
    chi2 = float(np.sum((obs - expected) ** 2 / obs))
    return chi2, float(stats.chi2.sf(chi2, dof)), dof, expected
