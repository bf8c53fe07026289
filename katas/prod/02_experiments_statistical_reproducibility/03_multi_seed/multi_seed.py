"""prod-02-3: multi-seed reporting. Edit this file; `grader check prod-02-3` tests it."""
from __future__ import annotations

import math  # noqa: F401

import numpy as np
from scipy import stats  # noqa: F401  (stats.t: ppf and sf of Student's t)


def summarize_seeds(scores: np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    """Mean, sample standard deviation and a Student-t confidence interval over seeds.

    std uses ddof=1; the interval is mean -+ t_{(1 + confidence)/2, n-1} * std / sqrt(n).

    Shapes:
        scores: (n,) one score per seed; returns: {"mean", "std", "ci_low", "ci_high": floats,
        "n": int, "confidence": the confidence passed in}

    Raises:
        ValueError: if scores is not 1-D or has fewer than 2 values, or confidence is not in (0, 1).
    """
    raise NotImplementedError("summarize_seeds: mean, std (ddof=1), t interval")


def compare_runs(a: np.ndarray, b: np.ndarray, *, paired: bool = False) -> tuple[float, float]:
    """Two-sided t-test of mean(a) == mean(b) for two configurations' per-seed scores.

    paired=False: Welch's t-test (unequal variances, Welch-Satterthwaite degrees of freedom), as
    scipy.stats.ttest_ind(a, b, equal_var=False). paired=True (both ran on the same seeds, a[i] and
    b[i] share seed i): the one-sample t-test of a - b, as scipy.stats.ttest_rel(a, b).

    Shapes:
        a: (n_a,), b: (n_b,); returns: (t, p_value) floats

    Raises:
        ValueError: if a or b is not 1-D or has fewer than 2 values, paired runs differ in length,
            or the standard error is 0 (t undefined).
    """
    raise NotImplementedError("compare_runs: Welch or paired t statistic and its two-sided p-value")


def format_summary(summary: dict[str, float], digits: int = 3) -> str:
    """One line for a results table, numbers with `digits` decimals, e.g. with digits=3:

        "0.812 ± 0.013 (95% CI [0.796, 0.828], n=5)"

    (the level printed as 100 * summary["confidence"] with format "g").
    """
    raise NotImplementedError("format_summary: mean ± std (level% CI [low, high], n=N)")
