"""Plausible wrong Hessian tools that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hessian_power import LossFn, hvp


@pitfall(replaces="hvp", why="outer product of the gradient (Gauss–Newton-like g gᵀ v) instead of the Hessian")
def gradient_outer_product(loss_fn: LossFn, theta: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    t = theta.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(t), t)
    return g * (g @ v)


@pitfall(replaces="top_hessian_eigenvalue", why="reports ‖Hv‖ as the eigenvalue: the sign of a negative curvature is lost")
def norm_not_rayleigh(loss_fn: LossFn, theta: torch.Tensor, iters: int = 200, tol: float = 1e-10,
                      seed: int = 0) -> tuple[float, torch.Tensor]:
    v = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    lam = None
    for _ in range(iters):
        w = hvp(loss_fn, theta, v)
        new = float(w.norm())
        v = w / w.norm()
        if lam is not None and abs(new - lam) <= tol * abs(new):
            return new, v
        lam = new
    return float(lam), v


@pitfall(replaces="top_hessian_eigenvalue", why="start vector from the global torch RNG: the seed is ignored")
def global_start(loss_fn: LossFn, theta: torch.Tensor, iters: int = 200, tol: float = 1e-10,
                 seed: int = 0) -> tuple[float, torch.Tensor]:
    v = torch.randn(theta.numel(), dtype=torch.float64)
    v = v / v.norm()
    lam = None
    for _ in range(iters):
        w = hvp(loss_fn, theta, v)
        new = float(v @ w)
        v = w / w.norm()
        if lam is not None and abs(new - lam) <= tol * abs(new):
            return new, v
        lam = new
    return float(lam), v


@pitfall(replaces="top_hessian_eigenvalue", why="ignores iters and always runs 20 products")
def fixed_iterations(loss_fn: LossFn, theta: torch.Tensor, iters: int = 200, tol: float = 1e-10,
                     seed: int = 0) -> tuple[float, torch.Tensor]:
    v = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    lam = 0.0
    for _ in range(20):
        w = hvp(loss_fn, theta, v)
        lam = float(v @ w)
        v = w / w.norm()
    return lam, v
