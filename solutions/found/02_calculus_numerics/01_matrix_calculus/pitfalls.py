"""Plausible wrong gradients and gradient checkers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from matrix_calculus import softmax_cross_entropy

_ce = softmax_cross_entropy  # the solution's version


@pitfall(replaces="grad_quadratic_form", why="2Ax: the symmetric-A formula applied to any A")
def quad_two_ax(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 2.0 * A @ x


@pitfall(replaces="grad_quadratic_form", why="differentiates only the right-hand x (treats xᵀA as a constant): returns Aᵀx")
def quad_one_side(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    return A.T @ x


@pitfall(replaces="grad_least_squares", why="drops the factor 2 (the gradient of ½‖Ax − b‖²)")
def ls_no_two(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return A.T @ (A @ x - b)


@pitfall(replaces="grad_least_squares", why="differentiates ‖b − Ax‖² and loses the inner minus sign")
def ls_sign(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 2.0 * A.T @ (b - A @ x)


@pitfall(replaces="softmax_cross_entropy", why="exponentiates the raw logits: exp(1000) overflows to inf and NaN follows")
def ce_unstable(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    n = logits.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -float(np.mean(np.log(p[np.arange(n), y])))
    g = p.copy()
    g[np.arange(n), y] -= 1.0
    return loss, g / n


@pitfall(replaces="softmax_cross_entropy", why="sums the loss over the batch instead of averaging (loss and gradient N times too big)")
def ce_sum(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    loss, g = _ce(logits, y)
    n = logits.shape[0]
    return loss * n, g * n


@pitfall(replaces="softmax_cross_entropy", why="averages the loss but forgets the 1/N in the gradient")
def ce_grad_not_averaged(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    loss, g = _ce(logits, y)
    return loss, g * logits.shape[0]


@pitfall(replaces="softmax_cross_entropy", why="gradient onehot − p: the sign of the gradient is flipped")
def ce_grad_sign(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    loss, g = _ce(logits, y)
    return loss, -g


@pitfall(replaces="numerical_gradient", why="forward differences (f(x + h) − f(x)) / h: error O(h), not O(h²)")
def forward_difference(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    work = np.array(x, dtype=np.float64, copy=True)
    base = f(work)
    grad = np.zeros_like(work)
    for idx in np.ndindex(work.shape):
        old = work[idx]
        work[idx] = old + h
        grad[idx] = (f(work) - base) / h
        work[idx] = old
    return grad


@pitfall(replaces="numerical_gradient", why="perturbs the caller's x in place and leaves the last coordinate at x − h")
def perturbs_input(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        if idx != tuple(s - 1 for s in x.shape):
            x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


@pitfall(replaces="numerical_gradient", why="ignores h and always steps by 1e-6")
def fixed_step(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    work = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(work)
    for idx in np.ndindex(work.shape):
        old = work[idx]
        work[idx] = old + 1e-6
        up = f(work)
        work[idx] = old - 1e-6
        down = f(work)
        work[idx] = old
        grad[idx] = (up - down) / 2e-6
    return grad
