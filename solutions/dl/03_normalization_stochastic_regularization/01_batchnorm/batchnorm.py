"""Reference solution for dl-03-1."""
from __future__ import annotations

from typing import Any

import numpy as np


def _shape(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    axes = (0,) + tuple(range(2, x.ndim))
    return axes, (1, x.shape[1]) + (1,) * (x.ndim - 2)


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                      running_var: np.ndarray, training: bool, momentum: float = 0.1,
                      eps: float = 1e-5) -> tuple[np.ndarray, dict[str, Any], np.ndarray, np.ndarray]:
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    axes, bshape = _shape(x)
    m = x.size // x.shape[1]
    if training:
        if m < 2:
            raise ValueError("expected more than one value per channel in training mode")
        mu = x.mean(axis=axes)
        var = x.var(axis=axes)
        new_rm = (1 - momentum) * running_mean + momentum * mu
        new_rv = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    else:
        mu, var = running_mean, running_var
        new_rm, new_rv = running_mean.copy(), running_var.copy()
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mu.reshape(bshape)) * inv_std.reshape(bshape)
    y = gamma.reshape(bshape) * xhat + beta.reshape(bshape)
    cache = {"xhat": xhat, "inv_std": inv_std, "gamma": gamma, "training": training, "m": m}
    return (y.astype(x.dtype, copy=False), cache, new_rm.astype(running_mean.dtype, copy=False),
            new_rv.astype(running_var.dtype, copy=False))


def batchnorm_backward(dy: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xhat, inv_std, gamma, m = cache["xhat"], cache["inv_std"], cache["gamma"], cache["m"]
    axes, bshape = _shape(dy)
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * xhat).sum(axis=axes)
    dxhat = dy * gamma.reshape(bshape)
    if cache["training"]:
        dx = (inv_std.reshape(bshape) / m) * (m * dxhat - dxhat.sum(axis=axes).reshape(bshape)
                                              - xhat * (dxhat * xhat).sum(axis=axes).reshape(bshape))
    else:
        dx = dxhat * inv_std.reshape(bshape)
    return dx.astype(dy.dtype, copy=False), dgamma.astype(dy.dtype, copy=False), dbeta.astype(dy.dtype, copy=False)
