"""Plausible wrong batch-norm implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from batchnorm import _shape


def _forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, rm: np.ndarray, rv: np.ndarray, training: bool,
             momentum: float, eps: float, *, unbiased_running: bool = True, unbiased_norm: bool = False,
             keras_momentum: bool = False, batch_stats_in_eval: bool = False, eps_outside: bool = False) -> tuple:
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum")
    ax, bshape = _shape(x)
    if training and x.size // x.shape[1] < 2:
        raise ValueError("one value per channel")
    if training or batch_stats_in_eval:
        mu = x.mean(axis=ax)
        var = x.var(axis=ax, ddof=1 if unbiased_norm else 0)
        var_u = x.var(axis=ax, ddof=1) if unbiased_running else var
        a, b = (momentum, 1 - momentum) if keras_momentum else (1 - momentum, momentum)
        new_rm, new_rv = (a * rm + b * mu, a * rv + b * var_u) if training else (rm.copy(), rv.copy())
    else:
        mu, var, new_rm, new_rv = rm, rv, rm.copy(), rv.copy()
    inv_std = 1 / (np.sqrt(var) + eps) if eps_outside else 1 / np.sqrt(var + eps)
    xhat = (x - mu.reshape(bshape)) * inv_std.reshape(bshape)
    cache = {"xhat": xhat, "inv_std": inv_std, "gamma": gamma, "training": training, "m": x.size // x.shape[1]}
    return ((gamma.reshape(bshape) * xhat + beta.reshape(bshape)).astype(x.dtype), cache,
            new_rm.astype(rm.dtype), new_rv.astype(rv.dtype))


@pitfall(replaces="batchnorm_forward", why="running_var updated with the biased batch variance (torch uses the unbiased one)")
def biased_running_var(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                       running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, unbiased_running=False)


@pitfall(replaces="batchnorm_forward", why="normalises with the unbiased variance (torch normalises with the biased one)")
def unbiased_normalisation(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                           running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, unbiased_norm=True)


@pitfall(replaces="batchnorm_forward", why="Keras's momentum convention: running ← momentum·running + (1 − momentum)·batch")
def keras_momentum(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                   running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, keras_momentum=True)


@pitfall(replaces="batchnorm_forward", why="eval mode still normalises with the batch statistics")
def batch_stats_in_eval(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                        running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, batch_stats_in_eval=True)


@pitfall(replaces="batchnorm_forward", why="statistics over axis 0 only: a (N, C, L) input gets one statistic per (channel, position)")
def axis_zero_only(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                   running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    if x.ndim == 2 or not training:
        return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum")
    if x.size // x.shape[1] < 2:
        raise ValueError("one value per channel")
    mu, var = x.mean(axis=0, keepdims=True), x.var(axis=0, keepdims=True)
    xhat = (x - mu) / np.sqrt(var + eps)
    y = gamma[None, :, None] * xhat + beta[None, :, None]
    m = x.size // x.shape[1]
    cache = {"xhat": xhat, "inv_std": 1 / np.sqrt(x.var(axis=(0, 2)) + eps), "gamma": gamma, "training": True, "m": m}
    rv_b = x.var(axis=(0, 2), ddof=1)
    return (y.astype(x.dtype), cache, ((1 - momentum) * running_mean + momentum * mu.mean(axis=(0, 2))).astype(x.dtype),
            ((1 - momentum) * running_var + momentum * rv_b).astype(x.dtype))


@pitfall(replaces="batchnorm_forward", why="eps added outside the square root: 1/(σ + eps)")
def eps_outside_sqrt(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                     running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    return _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, eps_outside=True)


@pitfall(replaces="batchnorm_forward", why="updates running_mean / running_var in place (as torch's module does) instead of returning new arrays")
def in_place_running(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                     running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> tuple:
    y, cache, rm, rv = _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    running_mean[...] = rm
    running_var[...] = rv
    return y, cache, running_mean, running_var


@pitfall(replaces="batchnorm_backward", why="treats μ and σ² as constants in training mode: dx = dy·γ/σ")
def constant_statistics(dy: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    axes, bshape = _shape(dy)
    dx = dy * (cache["gamma"] * cache["inv_std"]).reshape(bshape)
    return dx, (dy * cache["xhat"]).sum(axis=axes), dy.sum(axis=axes)


@pitfall(replaces="batchnorm_backward", why="dβ and dγ averaged over the batch instead of summed")
def averaged_param_grads(dy: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    axes, bshape = _shape(dy)
    xhat, inv_std, m = cache["xhat"], cache["inv_std"], cache["m"]
    dxhat = dy * cache["gamma"].reshape(bshape)
    if cache["training"]:
        dx = (inv_std.reshape(bshape) / m) * (m * dxhat - dxhat.sum(axis=axes).reshape(bshape)
                                              - xhat * (dxhat * xhat).sum(axis=axes).reshape(bshape))
    else:
        dx = dxhat * inv_std.reshape(bshape)
    return dx, (dy * xhat).mean(axis=axes), dy.mean(axis=axes)


@pitfall(replaces="batchnorm_backward", why="drops the x̂·Σ(dx̂·x̂) term (the gradient path through σ²)")
def no_variance_path(dy: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    axes, bshape = _shape(dy)
    xhat, inv_std, m = cache["xhat"], cache["inv_std"], cache["m"]
    dxhat = dy * cache["gamma"].reshape(bshape)
    if cache["training"]:
        dx = (inv_std.reshape(bshape) / m) * (m * dxhat - dxhat.sum(axis=axes).reshape(bshape))
    else:
        dx = dxhat * inv_std.reshape(bshape)
    return dx, (dy * xhat).sum(axis=axes), dy.sum(axis=axes)
