"""Plausible wrong chunked cross-attention implementations that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall


def _check(h: torch.Tensor, neighbours: torch.Tensor, m: int) -> tuple[int, int, int, int, int, int]:
    b, n, d = h.shape
    _, nc, k, r, _ = neighbours.shape
    if m < 1 or n != nc * m:
        raise ValueError("length")
    return b, n, d, nc, k, r


@pitfall(replaces="attending_chunk", why="shifts by m instead of m - 1: the last token of a chunk waits one chunk too long")
def shift_by_m(n: int, chunk_size: int) -> torch.Tensor:
    if chunk_size < 1 or n % chunk_size != 0:
        raise ValueError("length")
    u = torch.div(torch.arange(n) - chunk_size, chunk_size, rounding_mode="floor")
    return torch.where(u < 0, torch.full_like(u, -1), u)


@pitfall(replaces="attending_chunk", why="no shift: a position attends to its own chunk, whose retrieval saw future tokens")
def no_shift(n: int, chunk_size: int) -> torch.Tensor:
    if chunk_size < 1 or n % chunk_size != 0:
        raise ValueError("length")
    return torch.arange(n) // chunk_size


@pitfall(replaces="chunked_cross_attention", why="no shift: chunk u's tokens attend to chunk u's neighbours, leaking the future")
def unshifted_cca(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    out, _ = attn(h.reshape(b * nc, chunk_size, d), neighbours.reshape(b * nc, k * r, d),
                  neighbours.reshape(b * nc, k * r, d), need_weights=False)
    return out.reshape(b, n, d)


@pitfall(replaces="chunked_cross_attention", why="every position attends to the neighbours of all chunks at once")
def all_neighbours(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    kv = neighbours.reshape(b, nc * k * r, d)
    out, _ = attn(h, kv, kv, need_weights=False)
    return F.pad(out[:, chunk_size - 1:], (0, 0, chunk_size - 1, 0))


@pitfall(replaces="chunked_cross_attention", why="the first m - 1 positions attend to chunk 0 instead of outputting zeros")
def prefix_attends(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    m = chunk_size
    shifted = F.pad(h[:, m - 1:], (0, 0, 0, m - 1))
    kv = neighbours.reshape(b * nc, k * r, d)
    out, _ = attn(shifted.reshape(b * nc, m, d), kv, kv, need_weights=False)
    out = out.reshape(b, n, d)[:, : n - (m - 1)]
    kv0 = neighbours[:, 0].reshape(b, k * r, d)
    first, _ = attn(h[:, : m - 1], kv0, kv0, need_weights=False)
    return torch.cat([first, out], dim=1)


@pitfall(replaces="chunked_cross_attention", why="attends only to the first neighbour of each chunk (k collapsed to 1)")
def first_neighbour_only(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    m = chunk_size
    shifted = F.pad(h[:, m - 1:], (0, 0, 0, m - 1))
    kv = neighbours[:, :, 0].reshape(b * nc, r, d)
    out, _ = attn(shifted.reshape(b * nc, m, d), kv, kv, need_weights=False)
    return F.pad(out.reshape(b, n, d)[:, : n - (m - 1)], (0, 0, m - 1, 0))


@pitfall(replaces="chunked_cross_attention", why="adds the residual h inside CCA (RETRO adds it outside)")
def with_residual(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    m = chunk_size
    shifted = F.pad(h[:, m - 1:], (0, 0, 0, m - 1))
    kv = neighbours.reshape(b * nc, k * r, d)
    out, _ = attn(shifted.reshape(b * nc, m, d), kv, kv, need_weights=False)
    return h + F.pad(out.reshape(b, n, d)[:, : n - (m - 1)], (0, 0, m - 1, 0))


@pitfall(replaces="chunked_cross_attention", why="reshapes neighbours to (B*l*k, r, d): each token sees one neighbour, chunks mixed up")
def wrong_flatten(h: torch.Tensor, neighbours: torch.Tensor, chunk_size: int, attn: nn.MultiheadAttention) -> torch.Tensor:
    b, n, d, nc, k, r = _check(h, neighbours, chunk_size)
    m = chunk_size
    shifted = F.pad(h[:, m - 1:], (0, 0, 0, m - 1))
    kv = neighbours.permute(0, 2, 1, 3, 4).reshape(b * nc, k * r, d)   # k and l swapped before flattening
    out, _ = attn(shifted.reshape(b * nc, m, d), kv, kv, need_weights=False)
    return F.pad(out.reshape(b, n, d)[:, : n - (m - 1)], (0, 0, m - 1, 0))
