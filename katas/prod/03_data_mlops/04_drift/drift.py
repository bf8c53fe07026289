"""prod-03-4: drift detection with PSI and Kolmogorov-Smirnov. Edit this file; `grader check prod-03-4` tests it."""
from __future__ import annotations

import numpy as np
from scipy import stats  # noqa: F401  (stats.kstwo: the exact distribution of the one-sample KS statistic)


def ks_2samp(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp(..., method="asymp").

    D = max over all observed values t of |F_ref(t) - F_cur(t)|, with F the empirical CDFs
    (F(t) = share of values <= t). p = stats.kstwo.sf(D, round(m n / (m + n))) with m, n the
    sample sizes, clipped to [0, 1].

    Shapes:
        reference: (m,), current: (n,) float; returns: (D, p_value) floats

    Raises:
        ValueError: if a sample is empty or not 1-D.
    """
    raise NotImplementedError("ks_2samp: largest gap between the two empirical CDFs")


def psi(reference: np.ndarray, current: np.ndarray, n_bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index of `current` against `reference`.

    Bins: the n_bins - 1 interior edges are np.quantile(reference, k / n_bins), k = 1..n_bins-1; the
    outer bins are open (-inf, inf); a value equal to an edge goes to the bin above it. r_i, c_i are
    the shares of reference and current values in bin i, floored at eps:
    PSI = sum_i (c_i - r_i) ln(c_i / r_i).

    Shapes:
        reference: (m,), current: (n,) float; returns: a float >= 0

    Raises:
        ValueError: if a sample is empty or not 1-D, n_bins < 1, or eps <= 0.
    """
    raise NotImplementedError("psi: reference-quantile bins, floored shares, sum (c - r) ln(c / r)")


def detect_drift(reference: np.ndarray, current: np.ndarray, *, psi_threshold: float = 0.2,
                 alpha: float = 0.05, n_bins: int = 10) -> dict[str, np.ndarray]:
    """Per-feature drift report: PSI (with n_bins) and the KS test on each column.

    A feature has drifted when psi > psi_threshold or p_value < alpha.

    Shapes:
        reference: (m, d), current: (n, d); returns: {"psi": (d,), "ks": (d,), "p_value": (d,),
        "drifted": (d,) bool}

    Raises:
        ValueError: if either array is not 2-D or they have different numbers of columns.
    """
    raise NotImplementedError("detect_drift: psi and ks_2samp per column, then the two thresholds")
