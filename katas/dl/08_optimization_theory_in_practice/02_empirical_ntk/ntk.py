"""dl-08-2: the empirical neural tangent kernel. Edit this file; `grader check dl-08-2` tests it.

Models map (N, D) float64 inputs to (N, 1) outputs (one scalar per input).
"""
from __future__ import annotations

import torch


def param_jacobian(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """J[i, p] = ∂ f(x_i) / ∂ θ_p for every input row and every parameter, the parameters taken in
    model.parameters() order, each flattened (row-major) and concatenated. Does not change the
    parameters' .grad; the result is detached.

    Shapes:
        x: (N, D) -> (N, P), P = total number of parameters
    """
    raise NotImplementedError("param_jacobian: one gradient of f(x_i) per input row, flattened")


def empirical_ntk(model: torch.nn.Module, x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
    """Θ(x1_i, x2_j) = ⟨∇_θ f(x1_i), ∇_θ f(x2_j)⟩ = (J1 J2ᵀ)[i, j].

    Shapes:
        x1: (N1, D); x2: (N2, D) -> (N1, N2)
    """
    raise NotImplementedError("empirical_ntk: J1 @ J2.T")
