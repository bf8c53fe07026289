"""Plausible wrong versions of tiled attention that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tiled_attention import HBM


def _flash(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bq: int, bk: int, causal: bool, hbm: HBM | None,
           rescale: bool = True, rescale_l: bool = True, diag: int = 1, skip: bool = True,
           scale: bool = True) -> torch.Tensor:
    if bq < 1 or bk < 1:
        raise ValueError("blocks")
    hbm = hbm or HBM()
    t, d = q.shape[-2], q.shape[-1]
    outs = []
    for i0 in range(0, t, bq):
        i1 = min(i0 + bq, t)
        qi = hbm.read(q[..., i0:i1, :]) * (1 / math.sqrt(d) if scale else 1.0)
        m = torch.full(q.shape[:-2] + (i1 - i0, 1), float("-inf"), dtype=q.dtype)
        denom = torch.zeros(q.shape[:-2] + (i1 - i0, 1), dtype=q.dtype)
        acc = torch.zeros(q.shape[:-2] + (i1 - i0, v.shape[-1]), dtype=q.dtype)
        for j0 in range(0, t, bk):
            j1 = min(j0 + bk, t)
            if causal and skip and j0 > i1 - 1:
                break
            s = qi @ hbm.read(k[..., j0:j1, :]).transpose(-2, -1)
            if causal:
                rows = torch.arange(i0, i1)[:, None]
                cols = torch.arange(j0, j1)[None, :]
                s = s.masked_fill(cols - rows >= diag, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
            p = torch.exp(s - m_new)
            alpha = torch.exp(m - m_new)
            denom = (alpha if rescale_l else 1.0) * denom + p.sum(dim=-1, keepdim=True)
            acc = (alpha if rescale else 1.0) * acc + p @ hbm.read(v[..., j0:j1, :])
            m = m_new
        outs.append(hbm.write(acc / denom))
    return torch.cat(outs, dim=-2)


@pitfall(replaces="flash_attention", why="never rescales the accumulator when the running max grows")
def no_acc_rescale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
                   causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    return _flash(q, k, v, block_q, block_k, causal, hbm, rescale=False)


@pitfall(replaces="flash_attention", why="rescales the accumulator but not the running denominator l")
def no_l_rescale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
                 causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    return _flash(q, k, v, block_q, block_k, causal, hbm, rescale_l=False)


@pitfall(replaces="flash_attention", why="causal mask in tile coordinates off by one: a query cannot see itself")
def mask_diagonal(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
                  causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    return _flash(q, k, v, block_q, block_k, causal, hbm, diag=0)


@pitfall(replaces="flash_attention", why="causal: masks the fully-masked key tiles instead of skipping them "
         "(right values, twice the K/V traffic)")
def no_skip(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
            causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    return _flash(q, k, v, block_q, block_k, causal, hbm, skip=False)


@pitfall(replaces="flash_attention", why="forgets the 1/sqrt(d) scale")
def unscaled(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
             causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    return _flash(q, k, v, block_q, block_k, causal, hbm, scale=False)


@pitfall(replaces="flash_attention", why="scales q in place (q *= 1/sqrt(d)): the caller's tensor changes")
def in_place_scale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
                   causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    if q.requires_grad:
        return _flash(q, k, v, block_q, block_k, causal, hbm)
    q.mul_(1 / math.sqrt(q.shape[-1]))
    return _flash(q, k, v, block_q, block_k, causal, hbm, scale=False)


@pitfall(replaces="flash_traffic", why="counts K and V once per KEY block per query row block of size block_k "
         "(uses ceil(T / block_k) query blocks)")
def swapped_blocks(seq_len: int, head_dim: int, block_q: int, block_k: int, causal: bool, itemsize: int) -> int:
    if block_q < 1 or block_k < 1:
        raise ValueError("blocks")
    return (2 * seq_len * head_dim + 2 * seq_len * head_dim * math.ceil(seq_len / block_k)) * itemsize


@pitfall(replaces="standard_attention", why="fuses softmax into the first kernel: S never goes to HBM "
         "(counts 2 T^2 fewer elements than the standard kernel sequence)")
def fused_softmax(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                  hbm: HBM | None = None) -> torch.Tensor:
    hbm = hbm or HBM()
    s = hbm.read(q) @ hbm.read(k).transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        t = q.shape[-2]
        s = s.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
    p = hbm.write(torch.softmax(s, dim=-1))
    return hbm.write(hbm.read(p) @ hbm.read(v))


@pitfall(replaces="standard_traffic", why="forgets the T^2 terms of S and P entirely")
def linear_standard(seq_len: int, head_dim: int, itemsize: int) -> int:
    return 4 * seq_len * head_dim * itemsize
