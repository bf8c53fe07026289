"""dl-08-5: a TRPO-style trust-region step: conjugate gradient, step scaling, backtracking line search.
Edit this file; `grader check dl-08-5` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

Vec = np.ndarray


def conjugate_gradient(Avp: Callable[[Vec], Vec], b: Vec, iters: int = 10, tol: float = 1e-10) -> Vec:
    """Solve A x = b for symmetric positive-definite A given only v ↦ A v, starting from x = 0.
    Stop after `iters` iterations or when the squared residual rᵀr falls below tol (strictly: rᵀr = tol
    goes on). b is not modified.

    Shapes:
        b: (d,) float64 -> x: (d,) float64
    """
    raise NotImplementedError("conjugate_gradient: the classic r, p, rᵀr recurrences")


def trust_region_step(theta: Vec, grad: Vec, Fvp: Callable[[Vec], Vec], loss_fn: Callable[[Vec], float],
                      kl_fn: Callable[[Vec], float], max_kl: float, backtrack: float = 0.5, max_backtracks: int = 10,
                      cg_iters: int = 10) -> tuple[Vec, float]:
    """Minimise loss_fn subject to kl_fn(θ_new) <= max_kl (TRPO, Schulman et al. 2015):

        s = −F⁻¹ grad        by conjugate_gradient(Fvp, −grad, cg_iters)
        β = √(2 max_kl / sᵀ F s)     so the quadratic model ½ (βs)ᵀ F (βs) of the KL equals max_kl
        try fractions f = 1, backtrack, backtrack², … (max_backtracks + 1 tries in all):
            θ_try = theta + f β s; accept the first with kl_fn(θ_try) <= max_kl and loss_fn(θ_try) < loss_fn(theta)

    Returns (θ_new, f) for the accepted try, or (a copy of theta, 0.0) if none is accepted. theta is not modified.
    """
    raise NotImplementedError("trust_region_step: CG direction, scale to the KL radius, backtrack")
