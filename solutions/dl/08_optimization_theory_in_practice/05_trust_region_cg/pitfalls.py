"""Plausible wrong trust-region steps that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from trust_region import Vec, conjugate_gradient


@pitfall(replaces="conjugate_gradient", why="steepest descent (p ← r) instead of conjugate directions")
def steepest_descent(Avp: Callable[[Vec], Vec], b: Vec, iters: int = 10, tol: float = 1e-10) -> Vec:
    x, r = np.zeros_like(b, dtype=np.float64), b.astype(np.float64).copy()
    for _ in range(iters):
        if r @ r < tol:
            break
        Ar = Avp(r)
        alpha = (r @ r) / (r @ Ar)
        x += alpha * r
        r -= alpha * Ar
    return x


def _step(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
          kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float, max_backtracks: int, cg_iters: int, *,
          two: float = 2.0, check_loss: bool = True, precondition: bool = True) -> tuple[Vec, float]:
    s = conjugate_gradient(Fvp, -grad, cg_iters) if precondition else -grad
    beta = np.sqrt(two * max_kl / (s @ Fvp(s)))
    old, frac = loss_fn(theta), 1.0
    for _ in range(max_backtracks + 1):
        cand = theta + frac * beta * s
        if kl_fn(cand) <= max_kl and (loss_fn(cand) < old or not check_loss):
            return cand, frac
        frac *= backtrack
    return theta.copy(), 0.0


@pitfall(replaces="trust_region_step", why="β = √(max_kl / sᵀFs): forgets the ½ of the quadratic KL model")
def missing_two(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                cg_iters: int = 10) -> tuple[Vec, float]:
    return _step(theta, grad, Fvp, loss_fn, kl_fn, max_kl, backtrack, max_backtracks, cg_iters, two=1.0)


@pitfall(replaces="trust_region_step", why="steps along −grad (no F⁻¹: not the natural gradient)")
def no_preconditioning(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                       kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                       cg_iters: int = 10) -> tuple[Vec, float]:
    return _step(theta, grad, Fvp, loss_fn, kl_fn, max_kl, backtrack, max_backtracks, cg_iters, precondition=False)


@pitfall(replaces="trust_region_step", why="takes the full step without checking the true KL")
def no_line_search(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                   kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                   cg_iters: int = 10) -> tuple[Vec, float]:
    s = conjugate_gradient(Fvp, -grad, cg_iters)
    return theta + np.sqrt(2 * max_kl / (s @ Fvp(s))) * s, 1.0


@pitfall(replaces="trust_region_step", why="ignores max_backtracks (always tries 10 halvings)")
def fixed_backtracks(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                     kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                     cg_iters: int = 10) -> tuple[Vec, float]:
    return _step(theta, grad, Fvp, loss_fn, kl_fn, max_kl, backtrack, 10, cg_iters)
