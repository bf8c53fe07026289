"""arch-06-9: GCN, GraphSAGE and GAT layers. Edit this file; `grader check arch-06-9` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401


def gcn_layer(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Kipf & Welling's graph convolution: D^-1/2 (A + I) D^-1/2 X W, D the degrees of A + I.

    adj is a symmetric 0/1 matrix without self-loops (the layer adds them), of any dtype (bool, int
    or float); compute in the dtype of x. Inputs are left unchanged.

    Shapes:
        x: (N, F_in)     adj: (N, N)     weight: (F_in, F_out)     returns: (N, F_out)
    """
    raise NotImplementedError("gcn_layer")


def sage_layer(x: torch.Tensor, adj: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor) -> torch.Tensor:
    """GraphSAGE with the mean aggregator: h_i = x_i W_self + mean_{j in N(i)} x_j W_neigh.

    N(i) = {j : adj[i, j] = 1} (row i lists i's neighbours; i itself is not one unless adj says so).
    A node without neighbours aggregates 0. adj may be bool, int or float. Inputs are left unchanged.

    Shapes:
        x: (N, F_in)     adj: (N, N)     w_self, w_neigh: (F_in, F_out)     returns: (N, F_out)
    """
    raise NotImplementedError("sage_layer")


def gat_layer(x: torch.Tensor, adj: torch.Tensor, weight: torch.Tensor, att_src: torch.Tensor,
              att_dst: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    """One single-head graph attention layer (Velickovic et al. 2018), without the output nonlinearity.

    h = x W; for j in N(i) ∪ {i} (N(i) = {j : adj[i, j] = 1}, i always attends to itself):
        e_ij = LeakyReLU(att_dst · h_i + att_src · h_j, negative_slope)
        alpha_ij = softmax over those j of e_ij;     out_i = sum_j alpha_ij h_j.
    adj may be bool, int or float. Inputs are left unchanged.

    Shapes:
        x: (N, F_in)   adj: (N, N)   weight: (F_in, F)   att_src, att_dst: (F,)   returns: (N, F)
    """
    raise NotImplementedError("gat_layer")
