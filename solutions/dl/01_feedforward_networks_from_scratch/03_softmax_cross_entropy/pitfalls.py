"""Plausible wrong softmax + cross-entropy implementations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _checks(reduction: str, eps: float) -> None:
    if reduction not in ("mean", "sum") or not 0.0 <= eps <= 1.0:
        raise ValueError("bad argument")


def _targets(target: np.ndarray, n: int, K: int) -> np.ndarray:
    if target.ndim == 2:
        return target.astype(np.float64)
    y = np.zeros((n, K))
    y[np.arange(n), target] = 1.0
    return y


@pitfall(replaces="softmax_cross_entropy", why="returns the mean loss but forgets the 1/n in the gradient")
def gradient_not_averaged(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                          label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, (np.exp(log_p) - y).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="log(softmax(z)): an underflowed probability gives log 0 = -inf")
def log_of_softmax(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                   label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = -float(np.sum(y * np.log(p))) * s
    return loss, ((p - y) * s).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="gradient y − p: the sign of the descent direction, not the gradient")
def flipped_sign(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, ((y - np.exp(log_p)) * s).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="smooths with ε/(K−1) on the wrong classes only (1 − ε on the true one), not ε/K everywhere")
def smoothing_over_others(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                          label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = _targets(target, n, K)
    if K > 1:
        y = (1 - label_smoothing) * y + label_smoothing * (1 - y) / (K - 1)
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, ((np.exp(log_p) - y) * s).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="subtracts the row max in place (logits -= max): the caller's logits change")
def shifts_in_place(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                    label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, ((np.exp(log_p) - y) * s).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="treats probability targets as hard labels (argmax of each row)")
def argmax_soft_targets(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                        label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    idx = target.argmax(axis=1) if target.ndim == 2 else target
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(idx, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, ((np.exp(log_p) - y) * s).astype(logits.dtype)


@pitfall(replaces="softmax_cross_entropy", why="builds the gradient in float64 (np.zeros default) and never casts back")
def upcast_gradient(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                    label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    _checks(reduction, label_smoothing)
    n, K = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1 / n if reduction == "mean" else 1.0
    return -float(np.sum(y * log_p)) * s, (np.exp(log_p) - y) * s


@pitfall(replaces="softmax_cross_entropy", why="accepts any reduction string and silently means 'mean'")
def no_reduction_check(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                       label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError("bad label_smoothing")
    n, K = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = (1 - label_smoothing) * _targets(target, n, K) + label_smoothing / K
    s = 1.0 if reduction == "sum" else 1 / n
    return -float(np.sum(y * log_p)) * s, ((np.exp(log_p) - y) * s).astype(logits.dtype)
