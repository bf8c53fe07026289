"""Plausible wrong regression metrics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from regression_metrics import MultiOutput, _as_2d, _combine, _weighted_mean


@pitfall(replaces="mean_absolute_error", why="mean of the signed errors: positive and negative errors cancel")
def mae_without_abs(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                    multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    return _combine(_weighted_mean(y_true - y_pred, sample_weight), multioutput)


@pitfall(replaces="mean_squared_error", why="raw_values averages over all outputs at once (flattened)")
def mse_flattened(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                  multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    err = _weighted_mean((y_true - y_pred) ** 2, sample_weight)
    if isinstance(multioutput, str):
        return np.full(err.shape, err.mean()) if multioutput == "raw_values" else float(err.mean())
    return float(err.mean())


@pitfall(replaces="_weighted_mean", why="weighted sum divided by n instead of by the sum of the weights")
def weights_over_n(values: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
    if sample_weight is None:
        return values.mean(axis=0)
    return (np.asarray(sample_weight)[:, None] * values).sum(axis=0) / len(values)


@pitfall(replaces="r2_score", why="the mean ȳ in SS_tot ignores sample_weight")
def r2_unweighted_mean(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                       multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    ss_res = (w[:, None] * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w[:, None] * (y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    scores = np.ones(y_true.shape[1])
    valid = (ss_tot != 0) & (ss_res != 0)
    scores[valid] = 1 - ss_res[valid] / ss_tot[valid]
    scores[(ss_res != 0) & (ss_tot == 0)] = 0.0
    return _combine(scores, multioutput, variance=ss_tot)


@pitfall(replaces="r2_score", why="R² as the squared correlation of y and ŷ (true only for a least-squares fit)")
def r2_as_squared_correlation(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                              multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    scores = np.ones(y_true.shape[1])
    for j in range(y_true.shape[1]):
        with np.errstate(all="ignore"):
            c = np.corrcoef(y_true[:, j], y_pred[:, j])[0, 1]
        scores[j] = c * c if np.isfinite(c) else float(np.all(y_true[:, j] == y_pred[:, j]))
    variance = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    return _combine(scores, multioutput, variance=variance)


@pitfall(replaces="r2_score", why="plain 1 - SS_res/SS_tot: NaN or -inf for a constant target")
def r2_not_force_finite(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                        multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    ss_res = (w[:, None] * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w[:, None] * (y_true - _weighted_mean(y_true, w)) ** 2).sum(axis=0)
    with np.errstate(all="ignore"):
        scores = 1 - ss_res / ss_tot
    return _combine(scores, multioutput, variance=ss_tot)


@pitfall(replaces="_combine", why="'variance_weighted' treated as a uniform average")
def variance_weighted_as_uniform(per_output: np.ndarray, multioutput: MultiOutput,
                                 variance: np.ndarray | None = None) -> float | np.ndarray:
    if isinstance(multioutput, str):
        return per_output if multioutput == "raw_values" else float(per_output.mean())
    return float(np.average(per_output, weights=np.asarray(multioutput, dtype=np.float64)))


@pitfall(replaces="_combine", why="'variance_weighted' with every SS_tot = 0 returns NaN (0/0 weights) instead of "
         "the uniform average")
def variance_weighted_nan(per_output: np.ndarray, multioutput: MultiOutput,
                          variance: np.ndarray | None = None) -> float | np.ndarray:
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        if multioutput == "uniform_average":
            return float(per_output.mean())
        if multioutput == "variance_weighted" and variance is not None:
            with np.errstate(all="ignore"):
                return float((per_output * variance).sum() / variance.sum())
        raise ValueError(f"unknown multioutput {multioutput!r}")
    return float(np.average(per_output, weights=np.asarray(multioutput, dtype=np.float64)))


@pitfall(replaces="mean_squared_error", why="keeps the input dtype: float32 targets give float32 per-output errors")
def mse_keeps_float32(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                      multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError("shapes differ")
    err = (np.asarray(y_true) - np.asarray(y_pred)).reshape(len(y_true), -1) ** 2
    per = np.average(err, axis=0, weights=sample_weight).astype(err.dtype)
    return _combine(per, multioutput)
