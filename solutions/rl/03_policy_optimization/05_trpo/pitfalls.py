"""Plausible wrong TRPO pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from trpo import conjugate_gradient


@pitfall(replaces="conjugate_gradient", why="step size r.r / p.p instead of r.r / p.Ap")
def wrong_alpha(Avp: Callable[[torch.Tensor], torch.Tensor], b: torch.Tensor, iters: int = 10,
                residual_tol: float = 1e-10) -> torch.Tensor:
    if iters < 1:
        raise ValueError("iters")
    x, r, p = torch.zeros_like(b), b.clone(), b.clone()
    rr = r @ r
    for _ in range(iters):
        if rr < residual_tol:
            break
        Ap = Avp(p)
        alpha = rr / (p @ p)
        x, r = x + alpha * p, r - alpha * Ap
        rr_new = r @ r
        p, rr = r + (rr_new / rr) * p, rr_new
    return x


@pitfall(replaces="conjugate_gradient", why="steepest descent: the new direction is just the residual (beta = 0)")
def steepest_descent(Avp: Callable[[torch.Tensor], torch.Tensor], b: torch.Tensor, iters: int = 10,
                     residual_tol: float = 1e-10) -> torch.Tensor:
    if iters < 1:
        raise ValueError("iters")
    x, r = torch.zeros_like(b), b.clone()
    for _ in range(iters):
        rr = r @ r
        if rr < residual_tol:
            break
        Ar = Avp(r)
        alpha = rr / (r @ Ar)
        x, r = x + alpha * r, r - alpha * Ar
    return x


@pitfall(replaces="fisher_vector_product", why="ignores the damping term")
def no_damping(kl: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor, v: torch.Tensor,
               damping: float = 0.0) -> torch.Tensor:
    theta = theta.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(kl(theta), theta, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, theta)
    return hv.detach()


@pitfall(replaces="natural_step", why="scales by sqrt(max_kl / sFs): the quadratic KL of the step is max_kl / 2")
def missing_two(grad: torch.Tensor, Fvp: Callable[[torch.Tensor], torch.Tensor], max_kl: float,
                cg_iters: int = 10) -> torch.Tensor:
    if max_kl <= 0:
        raise ValueError("max_kl")
    s = conjugate_gradient(Fvp, grad, iters=cg_iters)
    return torch.sqrt(max_kl / (s @ Fvp(s))) * s


@pitfall(replaces="natural_step", why="steps along the plain gradient, not F^-1 g")
def plain_gradient(grad: torch.Tensor, Fvp: Callable[[torch.Tensor], torch.Tensor], max_kl: float,
                   cg_iters: int = 10) -> torch.Tensor:
    if max_kl <= 0:
        raise ValueError("max_kl")
    return torch.sqrt(2 * max_kl / (grad @ Fvp(grad))) * grad


@pitfall(replaces="backtracking_line_search", why="never checks the KL constraint")
def no_kl_check(loss: Callable[[torch.Tensor], torch.Tensor], kl: Callable[[torch.Tensor], torch.Tensor],
                theta: torch.Tensor, full_step: torch.Tensor, expected_improve: float, max_kl: float,
                max_backtracks: int = 10, accept_ratio: float = 0.1) -> tuple[torch.Tensor, float]:
    with torch.no_grad():
        base, frac = loss(theta), 1.0
        for _ in range(max_backtracks):
            candidate = theta + frac * full_step
            improve = base - loss(candidate)
            if improve > 0 and improve >= accept_ratio * frac * expected_improve:
                return candidate, frac
            frac *= 0.5
    return theta.clone(), 0.0


@pitfall(replaces="backtracking_line_search", why="returns the last (smallest) candidate when every step fails")
def keeps_last_candidate(loss: Callable[[torch.Tensor], torch.Tensor], kl: Callable[[torch.Tensor], torch.Tensor],
                         theta: torch.Tensor, full_step: torch.Tensor, expected_improve: float, max_kl: float,
                         max_backtracks: int = 10, accept_ratio: float = 0.1) -> tuple[torch.Tensor, float]:
    with torch.no_grad():
        base, frac, candidate = loss(theta), 1.0, theta.clone()
        for _ in range(max_backtracks):
            candidate = theta + frac * full_step
            improve = base - loss(candidate)
            if kl(candidate) <= max_kl and improve > 0 and improve >= accept_ratio * frac * expected_improve:
                return candidate, frac
            frac *= 0.5
    return candidate, frac
