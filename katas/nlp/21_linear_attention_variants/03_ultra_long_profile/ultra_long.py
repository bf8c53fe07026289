"""nlp-21-3: linear attention on 100k-token contexts, profiled with counters. Edit this file;
`grader check nlp-21-3` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def feature_map(x: torch.Tensor) -> torch.Tensor:
    """Given: the elu(x) + 1 feature map of Katharopoulos et al. (2020), positive everywhere."""
    return F.elu(x) + 1


def chunked_linear_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk: int) -> torch.Tensor:
    """Causal linear attention with phi = feature_map, computed chunk by chunk:

        out_t = phi(q_t) sum_{s<=t} phi(k_s)^T v_s / (phi(q_t) . sum_{s<=t} phi(k_s))

    Split the sequence into chunks of `chunk` positions (the last may be shorter). Within a chunk use the
    masked quadratic form (phi(Q_c) phi(K_c)^T * lower-triangular) V_c; across chunks carry the state
    S = sum phi(k)^T v (d x d_v) and normaliser z = sum phi(k) from all previous chunks. O(T (chunk d + d^2))
    work, O(chunk^2 + d^2) extra memory. Same dtype as q; inputs not modified.

    Shapes:
        q, k, v: (..., T, d)
        returns: (..., T, d)

    Raises:
        ValueError: if chunk < 1.
    """
    raise NotImplementedError("chunked_linear_attention: intra-chunk quadratic, inter-chunk state")


def quadratic_flops(seq_len: int, head_dim: int) -> int:
    """Matmul FLOPs of explicit attention for one head: Q K^T and A V, 2 T^2 d each."""
    raise NotImplementedError("quadratic_flops: two (T, d, T) matmuls")


def chunked_flops(seq_len: int, head_dim: int, chunk: int) -> int:
    """Matmul FLOPs (as torch.utils.flop_counter.FlopCounterMode counts them) of YOUR chunked_linear_attention
    for one head of length seq_len and width head_dim.

    Raises:
        ValueError: if chunk < 1.
    """
    raise NotImplementedError("chunked_flops: add up the matmuls your chunk loop performs")


def best_chunk(seq_len: int, head_dim: int, candidates: list[int]) -> int:
    """The candidate chunk size with the fewest chunked_flops (ties: the smaller chunk)."""
    raise NotImplementedError("best_chunk: minimise chunked_flops over the candidates")
