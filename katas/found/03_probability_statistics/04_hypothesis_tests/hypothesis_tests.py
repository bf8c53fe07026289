"""found-03-4: t-tests and the chi-square test. Edit this file; `grader check found-03-4` tests it."""
from __future__ import annotations

import numpy as np


def one_sample_t(x: np.ndarray, mu0: float = 0.0) -> tuple[float, float]:
    """Student's one-sample t-test of H0: mean = mu0, two-sided.

    t = (x̄ − mu0) / (s / sqrt(n)) with s the ddof=1 standard deviation; p = 2 · P(T_{n−1} > |t|).

    Shapes:
        x: any shape, at least 2 values
        returns: (t, p) floats

    Raises:
        ValueError: if x has fewer than 2 values.
    """
    raise NotImplementedError("one_sample_t: standardise the mean, two-sided p from the t distribution")


def two_sample_t(x: np.ndarray, y: np.ndarray, equal_var: bool = True) -> tuple[float, float, float]:
    """Two-sample t-test of H0: equal means, two-sided; Student's (pooled) or Welch's.

    equal_var=True: pooled variance s_p² = ((n_x−1)s_x² + (n_y−1)s_y²)/(n_x+n_y−2),
    se = sqrt(s_p²(1/n_x + 1/n_y)), df = n_x + n_y − 2.
    equal_var=False (Welch): se = sqrt(s_x²/n_x + s_y²/n_y), df by Welch–Satterthwaite:
    (a + b)² / (a²/(n_x−1) + b²/(n_y−1)) with a = s_x²/n_x, b = s_y²/n_y.
    t = (x̄ − ȳ)/se, p = 2 · P(T_df > |t|).

    Returns:
        (t, p, df) floats

    Raises:
        ValueError: if either sample has fewer than 2 values.
    """
    raise NotImplementedError("two_sample_t: pooled or Welch standard error and degrees of freedom")


def chi2_independence(table: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    """Pearson's chi-square test of independence for an r × c contingency table (no Yates correction).

    expected[i, j] = row_sum[i] · col_sum[j] / total; chi2 = Σ (observed − expected)² / expected;
    dof = (r − 1)(c − 1); p = P(χ²_dof > chi2).

    Returns:
        (chi2 float, p float, dof int, expected (r, c) float64)

    Raises:
        ValueError: if the table is not 2-D with at least 2 rows and 2 columns, has a negative
            count, or a row or column that sums to 0.
    """
    raise NotImplementedError("chi2_independence: expected counts from the margins, then Pearson's statistic")
