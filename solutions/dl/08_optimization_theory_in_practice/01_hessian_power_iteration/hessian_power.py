"""Reference solution for dl-08-1."""
from __future__ import annotations

from collections.abc import Callable

import torch

LossFn = Callable[[torch.Tensor], torch.Tensor]


def hvp(loss_fn: LossFn, theta: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    t = theta.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(t), t, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, t)
    return hv.detach()


def top_hessian_eigenvalue(loss_fn: LossFn, theta: torch.Tensor, iters: int = 200, tol: float = 1e-10,
                           seed: int = 0) -> tuple[float, torch.Tensor]:
    v = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    lam = None
    for _ in range(iters):
        w = hvp(loss_fn, theta, v)
        new = float(v @ w)
        norm = w.norm()
        if norm == 0:
            return 0.0, v
        v = w / norm
        if lam is not None and abs(new - lam) <= tol * abs(new):
            lam = new
            break
        lam = new
    return float(lam), v
