"""Reference solution for arch-05-1."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def info_nce_from_scores(scores: torch.Tensor) -> torch.Tensor:
    if scores.dim() != 2 or scores.shape[0] != scores.shape[1]:
        raise ValueError(f"scores must be square (N, N), got {tuple(scores.shape)}")
    return -torch.diagonal(torch.log_softmax(scores, dim=1)).mean()


def info_nce(query: torch.Tensor, keys: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    if query.shape != keys.shape or query.dim() != 2:
        raise ValueError("query and keys must both be (N, D)")
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    return info_nce_from_scores(F.normalize(query, dim=1) @ F.normalize(keys, dim=1).T / temperature)


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    if z1.shape != z2.shape or z1.dim() != 2:
        raise ValueError("z1 and z2 must both be (N, D)")
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    positive = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return F.cross_entropy(sim, positive)


def mi_lower_bound(scores: torch.Tensor) -> torch.Tensor:
    return math.log(len(scores)) - info_nce_from_scores(scores)
