"""Reference solution for arch-06-6."""
from __future__ import annotations

import torch
from torch import nn


def farthest_point_sampling(points: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    n = points.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be in 1 .. {n}, got {k}")
    if not 0 <= start < n:
        raise ValueError(f"start must be a point index, got {start}")
    chosen = [start]
    dist = ((points - points[start]) ** 2).sum(dim=1)
    for _ in range(k - 1):
        nxt = int(torch.argmax(dist))
        chosen.append(nxt)
        dist = torch.minimum(dist, ((points - points[nxt]) ** 2).sum(dim=1))
    return torch.tensor(chosen)   # Python ints: int64


class PointNetEncoder(nn.Module):
    """A shared per-point MLP followed by a symmetric max-pool: a permutation-invariant set encoder."""

    def __init__(self, in_dim: int = 3, hidden: int = 32, out_dim: int = 64) -> None:
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, out_dim), nn.ReLU())

    def forward(self, points: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        feats = self.mlp(points)                                   # (B, N, F)
        if mask is None:
            return feats.max(dim=1).values
        if not bool(mask.any(dim=1).all()):
            raise ValueError("every cloud needs at least one valid point")
        return feats.masked_fill(~mask[..., None], float("-inf")).max(dim=1).values
