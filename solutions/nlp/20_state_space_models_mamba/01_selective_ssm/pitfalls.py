"""Plausible wrong versions of the selective SSM that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from selective_ssm import _coefficients, selective_scan_parallel


@pitfall(replaces="discretize", why="Euler input matrix B_bar = delta B (Mamba's shortcut) instead of zero-order hold")
def euler_b(A: torch.Tensor, delta: torch.Tensor, B: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.exp(delta * A), delta * B * torch.ones_like(A)


@pitfall(replaces="discretize", why="A_bar = exp(A): forgets the step size")
def no_delta(A: torch.Tensor, delta: torch.Tensor, B: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.exp(A) * torch.ones_like(delta), torch.expm1(delta * A) / A * B


@pitfall(replaces="selective_scan_recurrent", why="reads the output from the state before the update (y_t from h_{t-1})")
def stale_state(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
                D: torch.Tensor) -> torch.Tensor:
    a, b = _coefficients(x, delta, A, B)
    h = torch.zeros(a.shape[0], a.shape[2], a.shape[3], dtype=x.dtype)
    ys = []
    for t in range(x.shape[1]):
        ys.append((h * C[:, t, None, :]).sum(-1))
        h = a[:, t] * h + b[:, t]
    return torch.stack(ys, dim=1) + D * x


@pitfall(replaces="selective_scan_recurrent", why="forgets the D x skip connection")
def no_skip(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
            D: torch.Tensor) -> torch.Tensor:
    return selective_scan_parallel(x, delta, A, B, C, D) - D * x


@pitfall(replaces="associative_scan", why="combine in the wrong order: a_prev * b + b_prev")
def combine_reversed(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    step = 1
    while step < a.shape[1]:
        b = torch.cat([b[:, :step], a[:, :-step] * b[:, step:] + b[:, :-step]], dim=1)
        a = torch.cat([a[:, :step], a[:, step:] * a[:, :-step]], dim=1)
        step *= 2
    return b


@pitfall(replaces="associative_scan", why="stops doubling at L // 2 (misses the last round when L is not a power of 2)")
def too_few_rounds(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    step = 1
    while step <= a.shape[1] // 2:
        b = torch.cat([b[:, :step], a[:, step:] * b[:, :-step] + b[:, step:]], dim=1)
        a = torch.cat([a[:, :step], a[:, step:] * a[:, :-step]], dim=1)
        step *= 2
    return b


@pitfall(replaces="associative_scan", why="a loop over time: right answer, L sequential steps")
def sequential(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    h = torch.zeros_like(b[:, 0])
    out = []
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]
        out.append(h)
    return torch.stack(out, dim=1)


@pitfall(replaces="associative_scan", why="updates a and b in place on the caller's tensors")
def in_place(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    step = 1
    while step < a.shape[1]:
        new_b = a[:, step:] * b[:, :-step] + b[:, step:]
        new_a = a[:, step:] * a[:, :-step]
        b[:, step:] = new_b
        a[:, step:] = new_a
        step *= 2
    return b.clone()


@pitfall(replaces="SelectiveSSM.forward", why="A = exp(A_log) (positive: the state grows instead of decaying)")
def positive_a(self, x: torch.Tensor) -> torch.Tensor:  # noqa: ANN001
    dt, B, C = torch.split(self.x_proj(x), [self.dt_rank, self.d_state, self.d_state], dim=-1)
    return selective_scan_parallel(x, F.softplus(self.dt_proj(dt)), torch.exp(self.A_log), B, C, self.D)


@pitfall(replaces="SelectiveSSM.forward", why="splits the projection as (B, C, dt) instead of (dt, B, C)")
def wrong_split(self, x: torch.Tensor) -> torch.Tensor:  # noqa: ANN001
    B, C, dt = torch.split(self.x_proj(x), [self.d_state, self.d_state, self.dt_rank], dim=-1)
    return selective_scan_parallel(x, F.softplus(self.dt_proj(dt)), -torch.exp(self.A_log), B, C, self.D)
