"""found-02-3: numerically stable log-space functions. Edit this file; `grader check found-02-3` tests it."""
from __future__ import annotations

import numpy as np


def logsumexp(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log Σ exp(x) along `axis`, without overflow or underflow.

    Entries may be -inf (masked): they contribute exp(-inf) = 0, and a slice that is all -inf
    gives -inf (not NaN). The result has x's dtype.

    Shapes:
        x: any shape with at least one dimension
        returns: x's shape without `axis`, x's dtype
    """
    raise NotImplementedError("logsumexp: subtract the max along the axis, add it back after the log")


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / Σ exp(x) along `axis`, finite for entries as large as ±1000; -inf entries get 0.

    Every slice must have at least one finite entry. The result has x's shape and dtype.
    """
    raise NotImplementedError("softmax: shift by the max along the axis before exponentiating")


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log σ(x) = −log(1 + e^(−x)), accurate for every finite x (≈ x for x ≪ 0, ≈ −e^(−x) for x ≫ 0).

    Elementwise; x's shape and dtype.
    """
    raise NotImplementedError("log_sigmoid: split on the sign of x and use log1p")


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x), accurate for every finite x (≈ e^x for x ≪ 0, ≈ x for x ≫ 0).

    Elementwise; x's shape and dtype.
    """
    raise NotImplementedError("softplus: max(x, 0) + log1p(exp(-|x|))")


def log1mexp(x: np.ndarray) -> np.ndarray:
    """log(1 − e^x) for x <= 0, accurate everywhere (log1mexp(0) = -inf).

    Mächler's rule: log(−expm1(x)) for x > −log 2, log1p(−exp(x)) otherwise. Elementwise; x's shape
    and dtype.

    Raises:
        ValueError: if any x > 0.
    """
    raise NotImplementedError("log1mexp: expm1 near 0, log1p far from it")
