"""Reference solution for ml-01-4."""
from __future__ import annotations

import numpy as np

# `multioutput` is one of these strings or a (k,) array of weights for a weighted average of the outputs.
MultiOutput = str | np.ndarray


def _as_2d(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    return y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1)


def _combine(per_output: np.ndarray, multioutput: MultiOutput, variance: np.ndarray | None = None) -> float | np.ndarray:
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        if multioutput == "uniform_average":
            return float(per_output.mean())
        if multioutput == "variance_weighted" and variance is not None:
            if not np.any(variance != 0):
                return float(per_output.mean())
            return float(np.average(per_output, weights=variance))
        raise ValueError(f"unknown multioutput {multioutput!r}")
    return float(np.average(per_output, weights=np.asarray(multioutput, dtype=np.float64)))


def _weighted_mean(values: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
    return np.average(values, axis=0, weights=sample_weight)


def mean_squared_error(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                       multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    return _combine(_weighted_mean((y_true - y_pred) ** 2, sample_weight), multioutput)


def mean_absolute_error(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
                        multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    return _combine(_weighted_mean(np.abs(y_true - y_pred), sample_weight), multioutput)


def r2_score(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray | None = None,
             multioutput: MultiOutput = "uniform_average") -> float | np.ndarray:
    y_true, y_pred = _as_2d(y_true, y_pred)
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    ss_res = (w[:, None] * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w[:, None] * (y_true - _weighted_mean(y_true, w)) ** 2).sum(axis=0)
    scores = np.ones(y_true.shape[1])
    valid = (ss_tot != 0) & (ss_res != 0)
    scores[valid] = 1 - ss_res[valid] / ss_tot[valid]
    scores[(ss_res != 0) & (ss_tot == 0)] = 0.0
    return _combine(scores, multioutput, variance=ss_tot)
