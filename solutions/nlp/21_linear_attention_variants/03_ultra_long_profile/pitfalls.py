"""Plausible wrong versions of the chunked linear attention that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ultra_long import feature_map


def _chunked(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk: int, update_first: bool = False,
             strict: bool = False) -> torch.Tensor:
    if chunk < 1:
        raise ValueError("chunk")
    qf, kf = feature_map(q), feature_map(k)
    state = torch.zeros(q.shape[:-2] + (q.shape[-1], v.shape[-1]), dtype=q.dtype)
    norm = torch.zeros(q.shape[:-2] + (1, q.shape[-1]), dtype=q.dtype)
    outs = []
    for s in range(0, q.shape[-2], chunk):
        qc, kc, vc = qf[..., s:s + chunk, :], kf[..., s:s + chunk, :], v[..., s:s + chunk, :]
        c = qc.shape[-2]
        if update_first:
            state = state + kc.transpose(-2, -1) @ vc
            norm = norm + kc.sum(-2, keepdim=True)
        mask = torch.ones(c, c, dtype=q.dtype).tril(-1 if strict else 0)
        scores = (qc @ kc.transpose(-2, -1)) * mask
        num = scores @ vc + qc @ state
        den = scores.sum(-1, keepdim=True) + (qc * norm).sum(-1, keepdim=True) + (1e-30 if strict else 0)
        outs.append(num / den)
        if not update_first:
            state = state + kc.transpose(-2, -1) @ vc
            norm = norm + kc.sum(-2, keepdim=True)
    return torch.cat(outs, dim=-2)


@pitfall(replaces="chunked_linear_attention", why="adds the current chunk to the state before using it: "
         "every position sees the whole chunk (the future leaks in)")
def state_updated_first(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk: int) -> torch.Tensor:
    return _chunked(q, k, v, chunk, update_first=True)


@pitfall(replaces="chunked_linear_attention", why="strictly lower-triangular mask inside a chunk: no position "
         "attends to itself")
def strict_mask(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, chunk: int) -> torch.Tensor:
    return _chunked(q, k, v, chunk, strict=True)


@pitfall(replaces="quadratic_flops", why="counts multiply-adds (2 T^2 d) instead of FLOPs")
def macs(seq_len: int, head_dim: int) -> int:
    return 2 * seq_len * seq_len * head_dim


@pitfall(replaces="chunked_flops", why="assumes every chunk is full (ignores the shorter last chunk)")
def full_chunks(seq_len: int, head_dim: int, chunk: int) -> int:
    if chunk < 1:
        raise ValueError("chunk")
    n = -(-seq_len // chunk)
    return n * (4 * chunk * chunk * head_dim + 4 * chunk * head_dim * head_dim)


@pitfall(replaces="best_chunk", why="picks the largest candidate ('bigger chunks are faster')")
def largest(seq_len: int, head_dim: int, candidates: list[int]) -> int:
    return max(candidates)
