"""dl-08-6: Lipschitz bounds of MLPs from spectral norms. Edit this file; `grader check dl-08-6` tests it.

Models are torch.nn.Sequential stacks of Linear layers and elementwise activations, float64.
"""
from __future__ import annotations

import torch


def spectral_norm(W: torch.Tensor, iters: int = 100, seed: int = 0) -> float:
    """Largest singular value σ_max(W) by power iteration on WᵀW from
    v = torch.randn(W.shape[1], generator=torch.Generator().manual_seed(seed), dtype=W.dtype), normalised;
    each iteration v ← WᵀW v / ‖WᵀW v‖; return ‖W v‖ after `iters` iterations (iters = 0: ‖W v₀‖).
    A zero WᵀW v means σ_max = 0: return 0.0. W is not modified.

    Shapes:
        W: (m, n)
    """
    raise NotImplementedError("spectral_norm: power iteration on W^T W")


def lipschitz_upper_bound(model: torch.nn.Sequential, iters: int = 100) -> float:
    """An upper bound on the Lipschitz constant (ℓ2 → ℓ2) of the model: the product over layers of
    σ_max(W) for every nn.Linear (biases do not matter; each computed by spectral_norm(W, iters), seed 0)
    and of the activation's Lipschitz constant:
    1 for nn.ReLU, nn.Tanh and nn.Identity, 1/4 for nn.Sigmoid, max(1, |slope|) for nn.LeakyReLU.

    Raises:
        ValueError: for any other module type.
    """
    raise NotImplementedError("lipschitz_upper_bound: multiply the per-layer constants")


def jacobian_lower_bound(model: torch.nn.Sequential, x: torch.Tensor) -> float:
    """A lower bound: the largest spectral norm of the input Jacobian ∂f/∂x over the rows of x.

    Shapes:
        x: (N, d_in)
    """
    raise NotImplementedError("jacobian_lower_bound: max over rows of ‖J(x_i)‖₂")
