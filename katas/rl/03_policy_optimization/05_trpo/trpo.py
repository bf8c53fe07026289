"""rl-03-5: TRPO's conjugate gradient and backtracking KL line search. Edit this file; `grader check rl-03-5` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch


def conjugate_gradient(Avp: Callable[[torch.Tensor], torch.Tensor], b: torch.Tensor, iters: int = 10,
                       residual_tol: float = 1e-10) -> torch.Tensor:
    """Approximately solve A x = b for symmetric positive-definite A, given only v -> A v.

    Start from x = 0 (residual r = b, direction p = b). Before each of at most `iters` iterations,
    stop if r.r < residual_tol; an iteration makes exactly one call Avp(p):
        alpha = r.r / p.Ap;  x += alpha p;  r -= alpha Ap;  p = r_new + (r_new.r_new / r.r) p
    b is not modified.

    Raises:
        ValueError: iters < 1.

    Shapes:
        b: (n,); returns: (n,)
    """
    raise NotImplementedError("conjugate_gradient: the textbook CG loop with matrix-vector products only")


def fisher_vector_product(kl: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor, v: torch.Tensor,
                          damping: float = 0.0) -> torch.Tensor:
    """F v + damping * v, with F the Hessian of the scalar kl(theta) at theta (double backprop: the
    gradient of (grad kl . v)), never forming F. theta and v are not modified; the result carries no
    gradient.

    Shapes:
        theta, v: (n,); returns: (n,)
    """
    raise NotImplementedError("fisher_vector_product: grad of (grad(kl) . v), plus damping * v")


def natural_step(grad: torch.Tensor, Fvp: Callable[[torch.Tensor], torch.Tensor], max_kl: float,
                 cg_iters: int = 10) -> torch.Tensor:
    """The full TRPO step: s = conjugate_gradient(Fvp, grad, iters=cg_iters) ~ F^-1 g, scaled so that
    its quadratic KL estimate 0.5 * step^T F step equals max_kl: step = sqrt(2 max_kl / s^T F s) * s.

    Raises:
        ValueError: max_kl <= 0.

    Shapes:
        grad: (n,); returns: (n,)
    """
    raise NotImplementedError("natural_step: CG for the direction, then scale to the KL budget")


def backtracking_line_search(loss: Callable[[torch.Tensor], torch.Tensor], kl: Callable[[torch.Tensor], torch.Tensor],
                             theta: torch.Tensor, full_step: torch.Tensor, expected_improve: float, max_kl: float,
                             max_backtracks: int = 10, accept_ratio: float = 0.1) -> tuple[torch.Tensor, float]:
    """Try theta + frac * full_step for frac = 1, 1/2, 1/4, ... (max_backtracks tries) and accept the
    first candidate with
        kl(candidate) <= max_kl,   improvement = loss(theta) - loss(candidate) > 0,
        improvement >= accept_ratio * frac * expected_improve.
    Returns (candidate, frac), or (a copy of theta, 0.0) if no candidate is accepted. theta is not modified.

    Shapes:
        theta, full_step: (n,); returns: ((n,), float)
    """
    raise NotImplementedError("backtracking_line_search: halve the step until the KL and improvement checks pass")
