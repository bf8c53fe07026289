"""Plausible wrong decode steps and cost models that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gqa_speed import GroupedQueryAttention, kv_cache_bytes, repeat_kv


@pitfall(replaces="decode_step", why="caches the keys and values after repeat_kv: n_heads heads, no memory saved")
def caches_repeated_heads(attn: GroupedQueryAttention, x_t: torch.Tensor,
                          cache: tuple[torch.Tensor, torch.Tensor] | None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    n_rep = attn.n_heads // attn.n_kv_heads
    q = attn.split(attn.q_proj(x_t), attn.n_heads)
    k = repeat_kv(attn.split(attn.k_proj(x_t), attn.n_kv_heads), n_rep)
    v = repeat_kv(attn.split(attn.v_proj(x_t), attn.n_kv_heads), n_rep)
    if cache is not None:
        k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(attn.d_head)
    out = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(x_t.shape[0], 1, attn.d_model)
    return attn.out_proj(out), (k, v)


@pitfall(replaces="decode_step", why="reuses the square causal mask: tril of a (1, T) mask lets the new token see only position 0")
def square_mask_reused(attn: GroupedQueryAttention, x_t: torch.Tensor,
                       cache: tuple[torch.Tensor, torch.Tensor] | None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    q = attn.split(attn.q_proj(x_t), attn.n_heads)
    k = attn.split(attn.k_proj(x_t), attn.n_kv_heads)
    v = attn.split(attn.v_proj(x_t), attn.n_kv_heads)
    if cache is not None:
        k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
    mask = torch.ones(1, k.shape[2], dtype=torch.bool).tril()
    return attn.out_proj(attn.attend(q, k, v, mask)), (k, v)


@pitfall(replaces="decode_step", why="attends to the new token only; the cache is appended but never read")
def ignores_the_past(attn: GroupedQueryAttention, x_t: torch.Tensor,
                     cache: tuple[torch.Tensor, torch.Tensor] | None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    q = attn.split(attn.q_proj(x_t), attn.n_heads)
    k = attn.split(attn.k_proj(x_t), attn.n_kv_heads)
    v = attn.split(attn.v_proj(x_t), attn.n_kv_heads)
    out = attn.out_proj(attn.attend(q, k, v))
    if cache is not None:
        k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
    return out, (k, v)


@pitfall(replaces="kv_cache_bytes", why="counts the keys only (no factor 2 for the values)")
def keys_only(batch: int, seq_len: int, n_kv_heads: int, d_head: int, n_layers: int = 1,
              dtype: torch.dtype = torch.float32) -> int:
    return n_layers * batch * seq_len * n_kv_heads * d_head * torch.empty((), dtype=dtype).element_size()


@pitfall(replaces="kv_cache_bytes", why="assumes 4 bytes per element whatever the dtype")
def always_float32(batch: int, seq_len: int, n_kv_heads: int, d_head: int, n_layers: int = 1,
                   dtype: torch.dtype = torch.float32) -> int:
    return 2 * n_layers * batch * seq_len * n_kv_heads * d_head * 4


@pitfall(replaces="decode_step_flops", why="the attention products with n_kv_heads heads: GQA shares K/V, not the queries")
def attention_flops_with_kv_heads(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int) -> int:
    d_head = d_model // n_heads
    return 2 * batch * d_model * (2 * d_model + 2 * n_kv_heads * d_head) + 4 * batch * n_kv_heads * (context_len + 1) * d_head


@pitfall(replaces="decode_step_flops", why="forgets the new token's own key: context_len positions instead of context_len + 1")
def flops_off_by_one(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int) -> int:
    d_head = d_model // n_heads
    return 2 * batch * d_model * (2 * d_model + 2 * n_kv_heads * d_head) + 4 * batch * n_heads * context_len * d_head


@pitfall(replaces="decode_step_bytes", why="counts the cache with n_heads heads, as if K and V were stored repeated")
def bytes_with_all_heads(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int,
                         dtype: torch.dtype = torch.float32, bias: bool = True) -> int:
    d_head = d_model // n_heads
    kv_width = n_kv_heads * d_head
    params = 2 * d_model * d_model + 2 * d_model * kv_width + ((2 * d_model + 2 * kv_width) if bias else 0)
    itemsize = torch.empty((), dtype=dtype).element_size()
    return params * itemsize + kv_cache_bytes(batch, context_len + 1, n_heads, d_head, dtype=dtype)


@pitfall(replaces="memory_bound_speedup", why="uses n_heads / n_kv_heads for every batch: ignores the weights every step reads")
def ratio_of_heads(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int,
                   dtype: torch.dtype = torch.float32) -> float:
    return n_heads / n_kv_heads
