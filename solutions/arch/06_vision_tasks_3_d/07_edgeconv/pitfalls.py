"""Plausible wrong k-NN graphs and EdgeConv layers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from edgeconv import knn_indices


@pitfall(replaces="knn_indices", why="excludes the point itself (takes neighbours 1 .. k of the sorted row)")
def excludes_self(x: torch.Tensor, k: int) -> torch.Tensor:
    n = x.shape[0]
    if not 1 <= k <= n:
        raise ValueError("k")
    dist = ((x[:, None] - x[None]) ** 2).sum(-1)
    order = torch.sort(dist, dim=1, stable=True).indices
    return torch.cat([order[:, 1:], order[:, :1]], dim=1)[:, :k]


@pitfall(replaces="knn_indices", why="topk of the negated distances: ties in no promised order")
def topk_ties(x: torch.Tensor, k: int) -> torch.Tensor:
    n = x.shape[0]
    if not 1 <= k <= n:
        raise ValueError("k")
    dist = ((x[:, None] - x[None]) ** 2).sum(-1)
    order = torch.sort(dist, dim=1, stable=True).indices
    flipped = torch.flip(order, dims=[1])
    ranks = torch.argsort(torch.gather(dist, 1, flipped), dim=1, stable=True)
    return torch.gather(flipped, 1, ranks)[:, :k]


@pitfall(replaces="knn_indices", why="the k farthest points instead of the nearest")
def farthest(x: torch.Tensor, k: int) -> torch.Tensor:
    n = x.shape[0]
    if not 1 <= k <= n:
        raise ValueError("k")
    dist = ((x[:, None] - x[None]) ** 2).sum(-1)
    return torch.sort(-dist, dim=1, stable=True).indices[:, :k]


@pitfall(replaces="edge_conv", why="edge feature [x_i, x_j] instead of [x_i, x_j - x_i]")
def neighbour_not_offset(x: torch.Tensor, k: int, mlp: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    idx = knn_indices(x, k)
    centre = x[:, None, :].expand(-1, k, -1)
    return mlp(torch.cat([centre, x[idx]], dim=-1)).max(dim=1).values


@pitfall(replaces="edge_conv", why="mean over the neighbours instead of max")
def mean_aggregation(x: torch.Tensor, k: int, mlp: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    idx = knn_indices(x, k)
    centre = x[:, None, :].expand(-1, k, -1)
    return mlp(torch.cat([centre, x[idx] - centre], dim=-1)).mean(dim=1)


@pitfall(replaces="edge_conv", why="offset x_i - x_j (sign flipped)")
def offset_sign(x: torch.Tensor, k: int, mlp: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    idx = knn_indices(x, k)
    centre = x[:, None, :].expand(-1, k, -1)
    return mlp(torch.cat([centre, centre - x[idx]], dim=-1)).max(dim=1).values
