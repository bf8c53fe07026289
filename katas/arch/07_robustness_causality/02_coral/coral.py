"""arch-07-2: CORAL feature alignment. Edit this file; `grader check arch-07-2` tests it."""
from __future__ import annotations

import numpy as np


def _check(source: np.ndarray, target: np.ndarray) -> None:
    if source.ndim != 2 or target.ndim != 2 or source.shape[1] != target.shape[1]:
        raise ValueError("source and target must be (n, d) arrays with the same d")
    if len(source) < 2 or len(target) < 2:
        raise ValueError("need at least two samples per domain for a covariance")


def _sym_power(c: np.ndarray, power: float) -> np.ndarray:
    """c ** power for a symmetric positive (semi-)definite c, by eigendecomposition."""
    vals, vecs = np.linalg.eigh(c)
    vals = np.maximum(vals, 0.0)      # round-off can make a zero eigenvalue slightly negative
    return (vecs * vals ** power) @ vecs.T


def coral_loss(source: np.ndarray, target: np.ndarray) -> float:
    """Deep CORAL's loss: ||C_S - C_T||_F^2 / (4 d^2), C the unbiased (n - 1) feature covariances.

    Shapes:
        source: (n_s, d)     target: (n_t, d)     returns: a Python float

    Raises:
        ValueError: as _check (given).
    """
    raise NotImplementedError("coral_loss")


def coral_align(source: np.ndarray, target: np.ndarray, eps: float = 1.0) -> np.ndarray:
    """CORAL (Sun et al. 2016): re-colour the source features with the target's second-order statistics.

    With C_S = cov(source) + eps I and C_T = cov(target) + eps I (unbiased covariances), return
    (source - mean(source)) C_S^{-1/2} C_T^{1/2} + mean(target), using the symmetric matrix powers
    (_sym_power). With eps = 0 and a full-rank C_S, the result has exactly the target's mean and
    covariance. The inputs are left unchanged.

    Shapes:
        source: (n_s, d)     target: (n_t, d)     returns: (n_s, d)

    Raises:
        ValueError: if eps < 0, or as _check (given).
    """
    raise NotImplementedError("coral_align")
