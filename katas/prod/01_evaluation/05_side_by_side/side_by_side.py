"""prod-01-5: side-by-side evaluation. Edit this file; `grader check prod-01-5` tests it."""
from __future__ import annotations

import numpy as np


def win_rate_ci(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
                seed: int = 0) -> tuple[float, float, float]:
    """Win rate of system A over B with a percentile-bootstrap confidence interval.

    outcomes[i] is 1 if A won comparison i, 0 if B won, 0.5 for a tie; the win rate is their mean.
    The bootstrap, exactly as scipy.stats.bootstrap(method="percentile") draws it:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(n_resamples, n))      # one resample per row
    the mean of each resample, then the linear-interpolated quantiles (np.quantile's default) at
    (1 - confidence) / 2 and 1 - (1 - confidence) / 2. Same seed, same interval.

    Shapes:
        outcomes: (n,) with values in {0, 0.5, 1}; returns: (rate, low, high), floats

    Raises:
        ValueError: if outcomes is empty or not 1-D, holds another value, confidence is not in
            (0, 1), or n_resamples < 1.
    """
    raise NotImplementedError("win_rate_ci: the mean, and a percentile bootstrap around it")


def bradley_terry(wins: np.ndarray) -> np.ndarray:
    """Maximum-likelihood Bradley-Terry log-strengths from a win matrix.

    P(i beats j) = sigmoid(s_i - s_j); wins[i, j] = how often i beat j. The log-likelihood
    sum_ij wins[i, j] * log sigmoid(s_i - s_j) is maximised (to 1e-8 in s); s is only defined up to a
    shift, so return it centred: s.mean() == 0. Assumes the maximum exists (every split of the
    players into two groups has wins in both directions).

    Shapes:
        wins: (K, K), K >= 2, non-negative, zero diagonal; returns: (K,) float64

    Raises:
        ValueError: if wins is not square with K >= 2, has a negative entry or a non-zero diagonal.
    """
    raise NotImplementedError("bradley_terry: the MM iteration (Hunter 2004) or Newton on the log-likelihood")
