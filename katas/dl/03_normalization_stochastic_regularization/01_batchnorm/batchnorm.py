"""dl-03-1: batch normalisation in NumPy, as torch.nn.BatchNorm1d. Edit this file; `grader check dl-03-1` tests it.

Channels are axis 1. A (N, C) input has N values per channel; a (N, C, L) input has N·L values per
channel (statistics over axes 0 and 2), exactly like torch.nn.BatchNorm1d.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                      running_var: np.ndarray, training: bool, momentum: float = 0.1,
                      eps: float = 1e-5) -> tuple[np.ndarray, dict[str, Any], np.ndarray, np.ndarray]:
    """y = γ · (x − μ) / √(σ² + eps) + β per channel, and the updated running statistics.

    training=True: μ and σ² are the batch mean and the *biased* batch variance (divide by m, the
    number of values per channel); the running statistics move towards the batch's with
        running_mean ← (1 − momentum) · running_mean + momentum · μ
        running_var  ← (1 − momentum) · running_var  + momentum · σ²_unbiased   (divide by m − 1)
    training=False: μ and σ² are running_mean and running_var, which are returned unchanged (as
    new arrays, not the caller's).

    Returns new arrays (no input is modified): y (x's shape and dtype), a cache for
    batchnorm_backward, the new running_mean and the new running_var.

    Shapes:
        x: (N, C) or (N, C, L); gamma, beta, running_mean, running_var: (C,), all of x's dtype
            (float32 or float64)

    Raises:
        ValueError: in training mode when m = 1 (one value per channel has no variance), or when
            momentum is outside [0, 1].
    """
    raise NotImplementedError("batchnorm_forward: per-channel statistics over every axis but 1")


def batchnorm_backward(dy: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dx, dgamma, dbeta) of a scalar loss given dy = ∂L/∂y, for the forward call that
    produced cache. In training mode μ and σ² depend on x and their gradient paths count; in eval
    mode they are constants.

    Shapes:
        dy: x's shape -> dx: x's shape; dgamma, dbeta: (C,)
    """
    raise NotImplementedError("batchnorm_backward: through x̂, and in training mode through μ and σ² too")
