"""Reference solution for dl-08-6."""
from __future__ import annotations

import torch


def spectral_norm(W: torch.Tensor, iters: int = 100, seed: int = 0) -> float:
    v = torch.randn(W.shape[1], generator=torch.Generator().manual_seed(seed), dtype=W.dtype)
    v = v / v.norm()
    with torch.no_grad():
        for _ in range(iters):
            w = W.T @ (W @ v)
            n = w.norm()
            if n == 0:
                return 0.0
            v = w / n
        return float((W @ v).norm())


def lipschitz_upper_bound(model: torch.nn.Sequential, iters: int = 100) -> float:
    bound = 1.0
    for m in model:
        if isinstance(m, torch.nn.Linear):
            bound *= spectral_norm(m.weight.detach(), iters)
        elif isinstance(m, torch.nn.ReLU | torch.nn.Tanh | torch.nn.Identity):
            pass
        elif isinstance(m, torch.nn.Sigmoid):
            bound *= 0.25
        elif isinstance(m, torch.nn.LeakyReLU):
            bound *= max(1.0, abs(m.negative_slope))
        else:
            raise ValueError(f"no Lipschitz constant for {type(m).__name__}")
    return bound


def jacobian_lower_bound(model: torch.nn.Sequential, x: torch.Tensor) -> float:
    best = 0.0
    for row in x:
        J = torch.autograd.functional.jacobian(model, row)
        best = max(best, float(torch.linalg.matrix_norm(J.reshape(-1, row.numel()), ord=2)))
    return best
