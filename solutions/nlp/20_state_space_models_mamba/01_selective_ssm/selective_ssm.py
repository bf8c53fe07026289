"""Reference solution for nlp-20-1."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def discretize(A: torch.Tensor, delta: torch.Tensor, B: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    dA = delta * A
    A_bar = torch.exp(dA)
    B_bar = torch.expm1(dA) / A * B
    return A_bar, B_bar


def _coefficients(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor,
                  B: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    # a, b: (batch, L, d, n)
    a, b_bar = discretize(A, delta[..., None], B[:, :, None, :])
    return a, b_bar * x[..., None]


def selective_scan_recurrent(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
                             C: torch.Tensor, D: torch.Tensor) -> torch.Tensor:
    a, b = _coefficients(x, delta, A, B)
    h = torch.zeros(a.shape[0], a.shape[2], a.shape[3], dtype=x.dtype)
    ys = []
    for t in range(x.shape[1]):
        h = a[:, t] * h + b[:, t]
        ys.append((h * C[:, t, None, :]).sum(-1))
    return torch.stack(ys, dim=1) + D * x


def associative_scan(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a, b = a.clone(), b.clone()
    length = a.shape[1]
    step = 1
    while step < length:
        a_prev, b_prev = a[:, :-step], b[:, :-step]
        new_b = torch.cat([b[:, :step], a[:, step:] * b_prev + b[:, step:]], dim=1)
        new_a = torch.cat([a[:, :step], a[:, step:] * a_prev], dim=1)
        a, b = new_a, new_b
        step *= 2
    return b


def selective_scan_parallel(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
                            C: torch.Tensor, D: torch.Tensor) -> torch.Tensor:
    a, b = _coefficients(x, delta, A, B)
    h = associative_scan(a, b)
    return (h * C[:, :, None, :]).sum(-1) + D * x


class SelectiveSSM(nn.Module):
    def __init__(self, d_model: int, d_state: int, dt_rank: int | None = None) -> None:
        super().__init__()
        self.d_model, self.d_state = d_model, d_state
        self.dt_rank = dt_rank or math.ceil(d_model / 16)
        self.x_proj = nn.Linear(d_model, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, d_model)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(d_model, 1))
        self.D = nn.Parameter(torch.ones(d_model))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dt, B, C = torch.split(self.x_proj(x), [self.dt_rank, self.d_state, self.d_state], dim=-1)
        delta = F.softplus(self.dt_proj(dt))
        A = -torch.exp(self.A_log)
        return selective_scan_parallel(x, delta, A, B, C, self.D)
