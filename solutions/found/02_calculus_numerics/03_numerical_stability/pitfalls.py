"""Plausible unstable or subtly wrong log-space functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from stable import logsumexp, softmax

_lse, _softmax = logsumexp, softmax  # the solution's versions


@pitfall(replaces="logsumexp", why="naive log(sum(exp(x))): exp(1000) overflows to inf")
def lse_naive(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(np.sum(np.exp(x), axis=axis)).astype(x.dtype)


@pitfall(replaces="logsumexp", why="shifts by the max even when it is -inf: a fully masked row gives NaN")
def lse_nan_on_masked_row(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x)
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis).astype(x.dtype)


@pitfall(replaces="logsumexp", why="computes in float64 and returns float64 for float32 input")
def lse_upcasts(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return _lse(np.asarray(x, dtype=np.float64), axis=axis)


@pitfall(replaces="softmax", why="no max shift: exp(1000) / exp(1000) = inf / inf = NaN")
def softmax_naive(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)


@pitfall(replaces="softmax", why="ignores axis and always normalises the last axis")
def softmax_last_axis(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return _softmax(x, axis=-1)


@pitfall(replaces="log_sigmoid", why="log(expit(x)): σ(-1000) underflows to 0 and its log is -inf")
def log_sigmoid_of_sigmoid(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(divide="ignore", over="ignore"):
        return np.log(1.0 / (1.0 + np.exp(-x))).astype(x.dtype)


@pitfall(replaces="log_sigmoid", why="−log1p(exp(−x)) for every x: exp(1000) overflows for x = −1000")
def log_sigmoid_one_branch(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return (-np.log1p(np.exp(-x))).astype(x.dtype)


@pitfall(replaces="softplus", why="log(1 + exp(x)): 1 + 1.9e-22 rounds to 1, so softplus(-50) comes out 0")
def softplus_naive_log(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return np.where(x > 30, x, np.log(1.0 + np.exp(np.minimum(x, 30)))).astype(x.dtype)


@pitfall(replaces="softplus", why="log1p(exp(x)) without the split: overflows to inf for x = 1000")
def softplus_overflow(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return np.log1p(np.exp(x)).astype(x.dtype)


@pitfall(replaces="log1mexp", why="log(1 − exp(x)): 1 − e^(−1e-20) rounds to 0, giving -inf instead of -46")
def log1mexp_naive(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if np.any(x > 0):
        raise ValueError("x > 0")
    with np.errstate(divide="ignore"):
        return np.log(1.0 - np.exp(x)).astype(x.dtype)


@pitfall(replaces="log1mexp", why="always log(−expm1(x)): for x = −40, −expm1 rounds to 1 and log gives 0, not −4e-18")
def log1mexp_expm1_only(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if np.any(x > 0):
        raise ValueError("x > 0")
    with np.errstate(divide="ignore"):
        return np.log(-np.expm1(x)).astype(x.dtype)
