"""Reference solution for dl-08-5."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

Vec = np.ndarray


def conjugate_gradient(Avp: Callable[[Vec], Vec], b: Vec, iters: int = 10, tol: float = 1e-10) -> Vec:
    x = np.zeros_like(b, dtype=np.float64)
    r = b.astype(np.float64).copy()
    p = r.copy()
    rr = r @ r
    for _ in range(iters):
        if rr < tol:
            break
        Ap = Avp(p)
        alpha = rr / (p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        rr_new = r @ r
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x


def trust_region_step(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                      kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                      cg_iters: int = 10) -> tuple[Vec, float]:
    s = conjugate_gradient(Fvp, -grad, cg_iters)
    beta = np.sqrt(2 * max_kl / (s @ Fvp(s)))
    old = loss_fn(theta)
    frac = 1.0
    for _ in range(max_backtracks + 1):
        cand = theta + frac * beta * s
        if kl_fn(cand) <= max_kl and loss_fn(cand) < old:
            return cand, frac
        frac *= backtrack
    return theta.copy(), 0.0
