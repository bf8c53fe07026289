"""ret-04-8: RETRO's chunked cross-attention. Edit this file; `grader check ret-04-8` tests it."""
from __future__ import annotations

import torch
from torch import nn


def attending_chunk(n: int, chunk_size: int) -> torch.Tensor:
    """For each position of a length-n sequence, the chunk whose neighbours it attends to, or -1.

    The sequence is split into chunks of chunk_size m. Position i attends to the neighbours of chunk
    u = (i - m + 1) // m: the last chunk that is complete at i (its last token is at or before i).
    The first m - 1 positions have no complete chunk and get -1.

    Shapes:
        returns: (n,) int64

    Raises:
        ValueError: if chunk_size < 1 or n is not a multiple of chunk_size.
    """
    raise NotImplementedError("attending_chunk: shift by m - 1, then integer-divide by m")


def chunked_cross_attention(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int,
                            attn: nn.MultiheadAttention) -> torch.Tensor:
    """RETRO's CCA: every position cross-attends to the encoded neighbours of its attending chunk.

    Position i (from attending_chunk(n, m)) uses the query h[:, i] and the keys/values of all k
    neighbours of chunk u, flattened to k * r tokens: attn(query, kv, kv) with kv = neighbours[:, u]
    reshaped to (k * r, d). Positions with no attending chunk (the first m - 1) output zeros. The
    residual connection is not added here.

    attn is a torch.nn.MultiheadAttention built with batch_first=True (given; call it, do not copy it).

    Shapes:
        h: (B, n, d) with n = l * m; neighbours: (B, l, k, r, d) (k neighbours of r tokens per chunk)
        returns: (B, n, d), same dtype as h (neither input is modified)

    Raises:
        ValueError: if n != l * chunk_size for the l of neighbours, or chunk_size < 1.
    """
    raise NotImplementedError("chunked_cross_attention: shift h by m - 1, chunk, attend, unshift, zero the prefix")
