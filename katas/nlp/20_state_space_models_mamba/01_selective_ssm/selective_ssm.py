"""nlp-20-1: a selective state-space (Mamba S6) layer from scratch. Edit this file;
`grader check nlp-20-1` tests it."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: F401  (softplus)
from torch import nn


def discretize(A: torch.Tensor, delta: torch.Tensor, B: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Zero-order-hold discretization of the diagonal system h' = A h + B x over a step delta:

        A_bar = exp(delta A),   B_bar = (exp(delta A) - 1) / A * B     (elementwise: A is diagonal, A < 0)

    The three inputs broadcast against each other (typically A (d, n), delta (..., d, 1), B (..., 1, n)).
    Inputs are not modified.

    Shapes:
        returns: A_bar, B_bar of the broadcast shape
    """
    raise NotImplementedError("discretize: exp(delta A) and the exact ZOH input matrix")


def selective_scan_recurrent(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
                             C: torch.Tensor, D: torch.Tensor) -> torch.Tensor:
    """The selective scan as a loop over time. For every channel c and state s, with h_{-1} = 0:

        h_t[c, s] = A_bar_t[c, s] h_{t-1}[c, s] + B_bar_t[c, s] x_t[c]     (discretize(A, delta_t[c], B_t))
        y_t[c]    = sum_s C_t[s] h_t[c, s] + D[c] x_t[c]

    Same dtype as x; inputs not modified.

    Shapes:
        x, delta: (batch, L, d)    A: (d, n)    B, C: (batch, L, n)    D: (d,)
        returns: (batch, L, d)
    """
    raise NotImplementedError("selective_scan_recurrent: one step of the recurrence per position")


def associative_scan(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """All h_t of the linear recurrence h_t = a_t h_{t-1} + b_t (h_{-1} = 0) along dim 1, in O(log L)
    vectorised rounds (Hillis-Steele or Blelloch), using the associative combine
    (a1, b1) then (a2, b2)  ->  (a1 a2, a2 b1 + b2). Inputs are not modified.

    Shapes:
        a, b: (batch, L, ...)
        returns: (batch, L, ...)
    """
    raise NotImplementedError("associative_scan: doubling steps, combine each element with the one step back")


def selective_scan_parallel(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
                            C: torch.Tensor, D: torch.Tensor) -> torch.Tensor:
    """Exactly selective_scan_recurrent, computed with associative_scan over time. Same shapes and dtype;
    inputs not modified."""
    raise NotImplementedError("selective_scan_parallel: discretize everything, scan, contract with C")


class SelectiveSSM(nn.Module):
    """The S6 layer of Mamba (without the surrounding gated block and convolution).

    Parameters: x_proj = Linear(d_model, dt_rank + 2 d_state, bias=False), whose output splits into
    (dt, B, C) in that order; dt_proj = Linear(dt_rank, d_model); A_log (d_model, d_state) initialised to
    log(1..d_state) in every row; D (d_model,) initialised to ones. dt_rank defaults to
    ceil(d_model / 16).

    forward(x): delta = softplus(dt_proj(dt)), A = -exp(A_log), return selective_scan_parallel(x, delta, A,
    B, C, D). Input and output (batch, L, d_model). Causal: y_t depends on x_0..x_t only.
    """

    def __init__(self, d_model: int, d_state: int, dt_rank: int | None = None) -> None:
        super().__init__()
        self.d_model, self.d_state = d_model, d_state
        self.dt_rank = dt_rank or math.ceil(d_model / 16)
        raise NotImplementedError("SelectiveSSM.__init__: x_proj, dt_proj, A_log, D")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("SelectiveSSM.forward: input-dependent delta, B, C, then the scan")
