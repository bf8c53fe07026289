"""ml-01-4: regression metrics MSE, MAE and R². Edit this file; `grader check ml-01-4` tests it."""
from __future__ import annotations

import numpy as np

# `multioutput` is one of these strings or a (k,) array of weights for a weighted average of the outputs.
MultiOutput = str | np.ndarray


def mean_squared_error(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                       multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    """Mean squared error, per output: Σ_i s_i (y_i − ŷ_i)² / Σ_i s_i (s_i = 1 without sample_weight).

    multioutput: "raw_values" returns the (k,) per-output errors; "uniform_average" their mean;
    an array of k weights their weighted average.

    Shapes:
        y_true, y_pred: (n,) or (n, k), the same shape (1-D means k = 1)
        sample_weight: (n,) non-negative, or None
        returns: (k,) float64 array for "raw_values", else a Python float

    Raises:
        ValueError: if y_true and y_pred have different shapes.
    """
    raise NotImplementedError("mean_squared_error: weighted mean over samples, then combine outputs")


def mean_absolute_error(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                        multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    """Mean absolute error, per output: Σ_i s_i |y_i − ŷ_i| / Σ_i s_i. Same conventions as mean_squared_error."""
    raise NotImplementedError("mean_absolute_error: weighted mean of |error| over samples, then combine outputs")


def r2_score(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
             multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    """Coefficient of determination per output, R² = 1 − SS_res / SS_tot, with

        SS_res = Σ_i s_i (y_i − ŷ_i)²,    SS_tot = Σ_i s_i (y_i − ȳ)²,    ȳ = Σ_i s_i y_i / Σ_i s_i.

    A constant output (SS_tot = 0) scores 1.0 if predicted perfectly (SS_res = 0), else 0.0
    (sklearn's force_finite=True). multioutput as in mean_squared_error, plus "variance_weighted":
    the average of the outputs' R² weighted by their SS_tot (uniform if every SS_tot is 0).

    Shapes:
        y_true, y_pred: (n,) or (n, k) with n >= 2; sample_weight: (n,) or None
        returns: (k,) float64 array for "raw_values", else a Python float

    Raises:
        ValueError: if y_true and y_pred have different shapes.
    """
    raise NotImplementedError("r2_score: 1 - SS_res / SS_tot per output, with the constant-output rule")
