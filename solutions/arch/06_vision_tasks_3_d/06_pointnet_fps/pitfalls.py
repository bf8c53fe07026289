"""Plausible wrong farthest-point samplers and set encoders that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pointnet import PointNetEncoder


def _check(points: torch.Tensor, k: int, start: int) -> None:
    if not 1 <= k <= points.shape[0] or not 0 <= start < points.shape[0]:
        raise ValueError("bad arguments")


@pitfall(replaces="farthest_point_sampling", why="farthest from the last chosen point only, not from the whole chosen set")
def farthest_from_last(points: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    _check(points, k, start)
    chosen = [start]
    for _ in range(k - 1):
        chosen.append(int(torch.argmax(((points - points[chosen[-1]]) ** 2).sum(dim=1))))
    return torch.tensor(chosen, dtype=torch.int64)


@pitfall(replaces="farthest_point_sampling", why="sums the distances to the chosen points instead of taking the minimum")
def sum_of_distances(points: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    _check(points, k, start)
    chosen = [start]
    dist = ((points - points[start]) ** 2).sum(dim=1)
    for _ in range(k - 1):
        dist = dist.clone()
        dist[chosen] = -1
        nxt = int(torch.argmax(dist))
        chosen.append(nxt)
        dist = dist.clamp(min=0) + ((points - points[nxt]) ** 2).sum(dim=1)
    return torch.tensor(chosen, dtype=torch.int64)


@pitfall(replaces="farthest_point_sampling", why="ignores start: always begins at point 0")
def ignores_start(points: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    _check(points, k, start)
    chosen = [0]
    dist = (points ** 2).sum(dim=1) * 0 + ((points - points[0]) ** 2).sum(dim=1)
    for _ in range(k - 1):
        nxt = int(torch.argmax(dist))
        chosen.append(nxt)
        dist = torch.minimum(dist, ((points - points[nxt]) ** 2).sum(dim=1))
    return torch.tensor(chosen, dtype=torch.int64)


@pitfall(replaces="PointNetEncoder.forward", why="mean-pools instead of max-pooling")
def mean_pool(self: PointNetEncoder, points: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    feats = self.mlp(points)
    if mask is None:
        return feats.mean(dim=1)
    if not bool(mask.any(dim=1).all()):
        raise ValueError("empty cloud")
    m = mask[..., None].to(feats.dtype)
    return (feats * m).sum(dim=1) / m.sum(dim=1)


@pitfall(replaces="PointNetEncoder.forward", why="ignores the mask: padded points join the max")
def ignores_mask(self: PointNetEncoder, points: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    if mask is not None and not bool(mask.any(dim=1).all()):
        raise ValueError("empty cloud")
    return self.mlp(points).max(dim=1).values
