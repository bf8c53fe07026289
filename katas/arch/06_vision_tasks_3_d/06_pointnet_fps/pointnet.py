"""arch-06-6: PointNet and farthest-point sampling. Edit this file; `grader check arch-06-6` tests it."""
from __future__ import annotations

import torch
from torch import nn


def farthest_point_sampling(points: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    """Greedy farthest-point sampling (PointNet++): k well-spread indices into a point cloud.

    Begin with `start`; then repeatedly pick the point whose squared distance to its nearest chosen
    point is largest (ties: the lowest index; an already chosen point has distance 0). The input is
    left unchanged.

    Shapes:
        points: (N, D)     returns: (k,) int64, in the order chosen

    Raises:
        ValueError: unless 1 <= k <= N and 0 <= start < N.
    """
    raise NotImplementedError("farthest_point_sampling")


class PointNetEncoder(nn.Module):
    """A shared per-point MLP followed by a symmetric max-pool: a permutation-invariant set encoder."""

    def __init__(self, in_dim: int = 3, hidden: int = 32, out_dim: int = 64) -> None:
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, out_dim), nn.ReLU())

    def forward(self, points: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Apply self.mlp to every point, then take the feature-wise max over the points of each cloud.

        mask (optional, bool) marks the real points of padded clouds; padded points must not
        influence the result.

        Shapes:
            points: (B, N, in_dim)     mask: (B, N) bool or None     returns: (B, out_dim)

        Raises:
            ValueError: if a cloud's mask has no valid point.
        """
        raise NotImplementedError("PointNetEncoder.forward")
