"""Reference solution for rl-03-5."""
from __future__ import annotations

from collections.abc import Callable

import torch


def conjugate_gradient(Avp: Callable[[torch.Tensor], torch.Tensor], b: torch.Tensor, iters: int = 10,
                       residual_tol: float = 1e-10) -> torch.Tensor:
    if iters < 1:
        raise ValueError(f"iters must be at least 1, got {iters}")
    x = torch.zeros_like(b)
    r = b.clone()
    p = b.clone()
    rr = r @ r
    for _ in range(iters):
        if rr < residual_tol:
            break
        Ap = Avp(p)
        alpha = rr / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rr_new = r @ r
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x


def fisher_vector_product(kl: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor, v: torch.Tensor,
                          damping: float = 0.0) -> torch.Tensor:
    theta = theta.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(kl(theta), theta, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, theta)
    return hv.detach() + damping * v


def natural_step(grad: torch.Tensor, Fvp: Callable[[torch.Tensor], torch.Tensor], max_kl: float,
                 cg_iters: int = 10) -> torch.Tensor:
    if max_kl <= 0:
        raise ValueError(f"max_kl must be positive, got {max_kl}")
    s = conjugate_gradient(Fvp, grad, iters=cg_iters)
    sFs = s @ Fvp(s)
    return torch.sqrt(2 * max_kl / sFs) * s


def backtracking_line_search(loss: Callable[[torch.Tensor], torch.Tensor], kl: Callable[[torch.Tensor], torch.Tensor],
                             theta: torch.Tensor, full_step: torch.Tensor, expected_improve: float, max_kl: float,
                             max_backtracks: int = 10, accept_ratio: float = 0.1) -> tuple[torch.Tensor, float]:
    with torch.no_grad():
        base = loss(theta)
        frac = 1.0
        for _ in range(max_backtracks):
            candidate = theta + frac * full_step
            improve = base - loss(candidate)
            if kl(candidate) <= max_kl and improve > 0 and improve >= accept_ratio * frac * expected_improve:
                return candidate, frac
            frac *= 0.5
    return theta.clone(), 0.0
