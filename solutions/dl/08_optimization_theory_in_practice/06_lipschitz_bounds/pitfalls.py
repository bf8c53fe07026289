"""Plausible wrong Lipschitz bounds that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lipschitz import spectral_norm


@pitfall(replaces="spectral_norm", why="power iteration on W itself (largest |eigenvalue|), not on WᵀW: below σ_max for non-normal W")
def eigenvalue_not_singular_value(W: torch.Tensor, iters: int = 100, seed: int = 0) -> float:
    if W.shape[0] != W.shape[1]:
        v = torch.randn(W.shape[1], generator=torch.Generator().manual_seed(seed), dtype=W.dtype)
        v = v / v.norm()
        for _ in range(iters):
            w = W.T @ (W @ v)
            v = w / w.norm()
        return float((W @ v).norm())
    return float(torch.linalg.eigvals(W).abs().max())


@pitfall(replaces="spectral_norm", why="the Frobenius norm: a valid but loose bound, not σ_max")
def frobenius(W: torch.Tensor, iters: int = 100, seed: int = 0) -> float:
    return float(W.norm())


def _bound(model: torch.nn.Sequential, iters: int, *, combine: str = "product", sigmoid: float = 0.25) -> float:
    norms, bound = [], 1.0
    for m in model:
        if isinstance(m, torch.nn.Linear):
            norms.append(spectral_norm(m.weight.detach(), iters))
        elif isinstance(m, torch.nn.ReLU | torch.nn.Tanh | torch.nn.Identity):
            pass
        elif isinstance(m, torch.nn.Sigmoid):
            bound *= sigmoid
        elif isinstance(m, torch.nn.LeakyReLU):
            bound *= max(1.0, abs(m.negative_slope))
        else:
            raise ValueError(type(m).__name__)
    if combine == "max":
        return bound * max(norms)
    for n in norms:
        bound *= n
    return bound


@pitfall(replaces="lipschitz_upper_bound", why="the largest layer norm instead of the product over layers")
def max_not_product(model: torch.nn.Sequential, iters: int = 100) -> float:
    return _bound(model, iters, combine="max")


@pitfall(replaces="lipschitz_upper_bound", why="treats the sigmoid as 1-Lipschitz (its slope is at most 1/4)")
def sigmoid_one(model: torch.nn.Sequential, iters: int = 100) -> float:
    return _bound(model, iters, sigmoid=1.0)


@pitfall(replaces="lipschitz_upper_bound", why="LeakyReLU counted as 1-Lipschitz whatever its slope")
def leaky_one(model: torch.nn.Sequential, iters: int = 100) -> float:
    bound = 1.0
    for m in model:
        if isinstance(m, torch.nn.Linear):
            bound *= spectral_norm(m.weight.detach(), iters)
        elif isinstance(m, torch.nn.Sigmoid):
            bound *= 0.25
        elif not isinstance(m, torch.nn.ReLU | torch.nn.Tanh | torch.nn.Identity | torch.nn.LeakyReLU):
            raise ValueError(type(m).__name__)
    return bound


@pitfall(replaces="lipschitz_upper_bound", why="skips unknown modules silently instead of refusing them")
def skips_unknown(model: torch.nn.Sequential, iters: int = 100) -> float:
    known = torch.nn.Sequential(*[m for m in model if isinstance(
        m, torch.nn.Linear | torch.nn.ReLU | torch.nn.Tanh | torch.nn.Identity | torch.nn.Sigmoid | torch.nn.LeakyReLU)])
    return _bound(known, iters)


@pitfall(replaces="jacobian_lower_bound", why="Frobenius norm of the Jacobian (can exceed the Lipschitz constant)")
def frobenius_jacobian(model: torch.nn.Sequential, x: torch.Tensor) -> float:
    return max(float(torch.autograd.functional.jacobian(model, r).norm()) for r in x)
