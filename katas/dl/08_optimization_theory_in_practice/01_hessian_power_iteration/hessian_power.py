"""dl-08-1: Hessian-vector products and the top Hessian eigenvalue. Edit this file;
`grader check dl-08-1` tests it.

A loss is a function of one flat float64 parameter vector: loss_fn(theta) -> 0-d tensor.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

LossFn = Callable[[torch.Tensor], torch.Tensor]


def hvp(loss_fn: LossFn, theta: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """H(theta) @ v without forming H: differentiate ⟨∇loss(theta), v⟩ once more (double backward).
    theta and v are not modified; the result is detached.

    Shapes:
        theta, v: (P,) -> (P,)
    """
    raise NotImplementedError("hvp: grad with create_graph=True, dot with v, grad again")


def top_hessian_eigenvalue(loss_fn: LossFn, theta: torch.Tensor, iters: int = 200, tol: float = 1e-10,
                           seed: int = 0) -> tuple[float, torch.Tensor]:
    """The eigenvalue of H(theta) of largest magnitude, and a unit eigenvector, by power iteration:

        v ← random unit vector (torch.randn(P, generator=torch.Generator().manual_seed(seed), dtype=float64))
        repeat: w = H v;  λ = ⟨v, w⟩ (Rayleigh quotient);  v ← w / ‖w‖
        stop after `iters` products, or earlier when λ changes by at most tol·|λ| between iterations

    The eigenvalue keeps its sign (a saddle's most curved direction may be negative).

    Returns:
        (λ, v) with v of shape (P,) and unit norm
    """
    raise NotImplementedError("top_hessian_eigenvalue: power iteration with hvp")
