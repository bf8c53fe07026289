"""Plausible wrong grouped-query conversions that the tests must reject."""
from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gqa import GroupedQueryAttention, MiniFormer, MultiHeadAttention, mha_to_gqa, repeat_kv


@pitfall(replaces="repeat_kv", why=".repeat tiles the whole block of kv heads: query head h reads kv head h % G, not h // r")
def tiled(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    return x.repeat(1, n_rep, 1, 1)


@pitfall(replaces="GroupedQueryAttention.forward", why="scales the scores by the key projection's width n_kv_heads * d_head")
def scaled_by_kv_width(self: GroupedQueryAttention, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                       mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    b, lq, _ = query.shape
    lk = key.shape[1]
    q = self.q_proj(query).view(b, lq, self.n_heads, self.d_head).transpose(1, 2)
    k = self.k_proj(key).view(b, lk, self.n_kv_heads, self.d_head).transpose(1, 2)
    v = self.v_proj(value).view(b, lk, self.n_kv_heads, self.d_head).transpose(1, 2)
    n_rep = self.n_heads // self.n_kv_heads
    k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.n_kv_heads * self.d_head)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return self.out_proj((weights @ v).transpose(1, 2).reshape(b, lq, self.d_model)), weights


def _convert(mha: MultiHeadAttention, n_kv_heads: int, pool: str, pool_bias: bool = True) -> GroupedQueryAttention:
    bias = mha.q_proj.bias is not None
    gqa = GroupedQueryAttention(mha.d_model, mha.n_heads, n_kv_heads, bias=bias).to(mha.q_proj.weight.dtype)
    r, d_head = mha.n_heads // n_kv_heads, mha.d_head
    with torch.no_grad():
        gqa.q_proj.load_state_dict(mha.q_proj.state_dict())
        gqa.out_proj.load_state_dict(mha.out_proj.state_dict())
        for src, dst in ((mha.k_proj, gqa.k_proj), (mha.v_proj, gqa.v_proj)):
            if pool == "first":
                w = src.weight.view(n_kv_heads, r, d_head, -1)[:, 0]
                b = src.bias.view(n_kv_heads, r, d_head)[:, 0] if bias else None
            else:   # "strided": groups of heads g, g + G, g + 2G, ...
                w = src.weight.view(r, n_kv_heads, d_head, -1).mean(dim=0)
                b = src.bias.view(r, n_kv_heads, d_head).mean(dim=0) if bias else None
            dst.weight.copy_(w.reshape_as(dst.weight))
            if bias and pool_bias:
                dst.bias.copy_(b.reshape(-1))
    return gqa


@pitfall(replaces="mha_to_gqa", why="keeps the first head of each group instead of the mean")
def first_head_of_group(mha: MultiHeadAttention, n_kv_heads: int) -> GroupedQueryAttention:
    return _convert(mha, n_kv_heads, "first")


@pitfall(replaces="mha_to_gqa", why="pools strided heads (g, g+G, g+2G, ...), not the consecutive heads repeat_kv serves")
def strided_groups(mha: MultiHeadAttention, n_kv_heads: int) -> GroupedQueryAttention:
    return _convert(mha, n_kv_heads, "strided")


@pitfall(replaces="mha_to_gqa", why="pools the weights but leaves the new k/v biases at their random initialization")
def biases_not_pooled(mha: MultiHeadAttention, n_kv_heads: int) -> GroupedQueryAttention:
    gqa = _convert(mha, n_kv_heads, "first", pool_bias=False)
    r, d_head = mha.n_heads // n_kv_heads, mha.d_head
    with torch.no_grad():
        for src, dst in ((mha.k_proj, gqa.k_proj), (mha.v_proj, gqa.v_proj)):
            dst.weight.copy_(src.weight.view(n_kv_heads, r, d_head, -1).mean(dim=1).reshape_as(dst.weight))
    return gqa


@pitfall(replaces="convert_to_gqa", why="swaps the attention in place: the original model is converted too")
def in_place(model: MiniFormer, n_kv_heads: int) -> MiniFormer:
    for block in model.blocks:
        block.self_attn = mha_to_gqa(block.self_attn, n_kv_heads)
    return model


@pitfall(replaces="convert_to_gqa", why="copy.copy (shallow): the copy shares its blocks with the original")
def shallow_copy(model: MiniFormer, n_kv_heads: int) -> MiniFormer:
    converted = copy.copy(model)
    for block in converted.blocks:
        block.self_attn = mha_to_gqa(block.self_attn, n_kv_heads)
    return converted


@pitfall(replaces="GroupedQueryAttention.forward", why="grouped scores (B, G, r, Lq, Lk) without repeat_kv, masked as they are: "
         "only an (Lq, Lk) mask broadcasts correctly, a per-batch or per-head mask lines up with the wrong axes")
def grouped_scores_mask(self: GroupedQueryAttention, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                        mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    b, lq, _ = query.shape
    lk = key.shape[1]
    g, r = self.n_kv_heads, self.n_heads // self.n_kv_heads
    q = self.q_proj(query).view(b, lq, g, r, self.d_head).permute(0, 2, 3, 1, 4)      # (B, G, r, Lq, d)
    k = self.k_proj(key).view(b, lk, g, self.d_head).transpose(1, 2)[:, :, None]     # (B, G, 1, Lk, d)
    v = self.v_proj(value).view(b, lk, g, self.d_head).transpose(1, 2)[:, :, None]
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)                        # (B, G, r, Lq, Lk)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    out = (weights @ v).reshape(b, self.n_heads, lq, self.d_head).transpose(1, 2).reshape(b, lq, self.d_model)
    return self.out_proj(out), weights.reshape(b, self.n_heads, lq, lk)


@pitfall(replaces="mha_to_gqa", why="builds the GroupedQueryAttention in the default float32: copy_ silently casts mha's weights")
def float32_result(mha: MultiHeadAttention, n_kv_heads: int) -> GroupedQueryAttention:
    bias = mha.q_proj.bias is not None
    gqa = GroupedQueryAttention(mha.d_model, mha.n_heads, n_kv_heads, bias=bias)
    r, d_head = mha.n_heads // n_kv_heads, mha.d_head
    with torch.no_grad():
        gqa.q_proj.load_state_dict(mha.q_proj.state_dict())
        gqa.out_proj.load_state_dict(mha.out_proj.state_dict())
        for src, dst in ((mha.k_proj, gqa.k_proj), (mha.v_proj, gqa.v_proj)):
            dst.weight.copy_(src.weight.view(n_kv_heads, r, d_head, -1).mean(dim=1).reshape_as(dst.weight))
            if bias:
                dst.bias.copy_(src.bias.view(n_kv_heads, r, d_head).mean(dim=1).reshape(-1))
    return gqa
