"""Reference solution for arch-06-9."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def gcn_layer(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    a_hat = adj.to(x.dtype, copy=True).fill_diagonal_(1.0)      # A + I (adj has no self-loops)
    d_inv_sqrt = a_hat.sum(dim=1).rsqrt()
    return (d_inv_sqrt[:, None] * a_hat * d_inv_sqrt[None, :]) @ x @ weight


def sage_layer(x: torch.Tensor, adj: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor) -> torch.Tensor:
    a = adj.to(x.dtype)
    deg = a.sum(dim=1, keepdim=True)
    neigh_mean = (a @ x) / deg.clamp(min=1)        # an isolated node aggregates nothing: 0
    return x @ w_self + neigh_mean @ w_neigh


def gat_layer(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor,
              att_dst: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    h = x @ weight                                               # (N, F)
    scores = F.leaky_relu((h @ att_dst)[:, None] + (h @ att_src)[None, :], negative_slope)   # e_ij
    allowed = adj.to(torch.bool, copy=True).fill_diagonal_(True)   # neighbours and the node itself
    alpha = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=1)
    return alpha @ h
