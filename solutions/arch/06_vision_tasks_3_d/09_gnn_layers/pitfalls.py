"""Plausible wrong GNN layers that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall


@pitfall(replaces="gcn_layer", why="forgets the self-loops: a node ignores its own features")
def gcn_without_self_loops(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    a = adj.to(x.dtype)
    d = a.sum(dim=1).clamp(min=1).rsqrt()
    return (d[:, None] * a * d[None, :]) @ x @ weight


@pitfall(replaces="gcn_layer", why="row-normalises (D^-1 (A + I)) instead of the symmetric D^-1/2 (A + I) D^-1/2")
def gcn_row_normalised(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    a_hat = adj.to(x.dtype) + torch.eye(adj.shape[0], dtype=x.dtype)
    return (a_hat / a_hat.sum(dim=1, keepdim=True)) @ x @ weight


@pitfall(replaces="sage_layer", why="sums the neighbours instead of averaging them")
def sage_sum(x: torch.Tensor, adj: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor) -> torch.Tensor:
    return x @ w_self + (adj.to(x.dtype) @ x) @ w_neigh


@pitfall(replaces="sage_layer", why="aggregates over columns (in-neighbours, adj.T) instead of rows")
def sage_transposed(x: torch.Tensor, adj: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor) -> torch.Tensor:
    a = adj.to(x.dtype).T
    return x @ w_self + (a @ x) / a.sum(dim=1, keepdim=True).clamp(min=1) @ w_neigh


@pitfall(replaces="sage_layer", why="includes the node itself in its neighbour mean")
def sage_mean_with_self(x: torch.Tensor, adj: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor) -> torch.Tensor:
    a = adj.to(x.dtype) + torch.eye(adj.shape[0], dtype=x.dtype)
    return x @ w_self + (a @ x) / a.sum(dim=1, keepdim=True) @ w_neigh


def _gat(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor, att_dst: torch.Tensor,
         negative_slope: float, mode: str) -> torch.Tensor:
    h = x @ weight
    if mode == "swapped":
        scores = F.leaky_relu((h @ att_src)[:, None] + (h @ att_dst)[None, :], negative_slope)
    else:
        scores = F.leaky_relu((h @ att_dst)[:, None] + (h @ att_src)[None, :], negative_slope)
    if mode == "no_mask":
        return torch.softmax(scores, dim=1) @ h
    allowed = adj.bool() if mode == "no_self" else adj.bool() | torch.eye(adj.shape[0], dtype=torch.bool)
    alpha = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=1).nan_to_num(0.0)
    return alpha @ h


@pitfall(replaces="gat_layer", why="softmax over every node: attends to non-neighbours too")
def gat_unmasked(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor,
                 att_dst: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    return _gat(x, adj, weight, att_src, att_dst, negative_slope, "no_mask")


@pitfall(replaces="gat_layer", why="no self-attention: a node only attends to its neighbours")
def gat_no_self(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor,
                att_dst: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    return _gat(x, adj, weight, att_src, att_dst, negative_slope, "no_self")


@pitfall(replaces="gat_layer", why="swaps the source and destination attention vectors")
def gat_swapped(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor,
                att_dst: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    return _gat(x, adj, weight, att_src, att_dst, negative_slope, "swapped")
