"""Reference solution for nlp-09-1."""
from __future__ import annotations

import copy  # noqa: F401  (you will want copy.deepcopy)
import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    """Given, complete (nlp-03-2): multi-head attention with separate projections.

    forward(query, key, value, mask=None) -> (output (B, Lq, d_model), weights (B, H, Lq, Lk)), with
    a bool mask broadcastable to (B, H, Lq, Lk) where True = may attend.
    """

    def __init__(self, d_model: int, n_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.d_model, self.n_heads, self.d_head = d_model, n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, seq, _ = x.shape
        return x.view(b, seq, self.n_heads, self.d_head).transpose(1, 2)      # (B, H, L, d_head)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        q, k, v = self._split(self.q_proj(query)), self._split(self.k_proj(key)), self._split(self.v_proj(value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], self.d_model)
        return self.out_proj(out), weights


class TransformerBlock(nn.Module):
    """Given, complete (nlp-04-1): a pre-norm block, x + attn(norm1(x)), then x + ffn(norm2(x)).

    Attributes self_attn, linear1, linear2, norm1, norm2. self_attn can be any module with the
    MultiHeadAttention interface: forward(query, key, value, mask=None) -> (output, weights).
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int) -> None:
        super().__init__()
        self.self_attn: nn.Module = MultiHeadAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, mask=mask)[0]
        return x + self.linear2(F.gelu(self.linear1(self.norm2(x))))


class MiniFormer(nn.Module):
    """Given, complete (nlp-04-2): tok_emb + pos_emb, n pre-norm causal blocks, final LayerNorm, lm_head.

    forward(idx (B, T) long) -> logits (B, T, vocab_size).
    """

    def __init__(self, vocab_size: int, d_model: int, n_heads: int, n_layers: int, max_len: int,
                 d_ff: int | None = None) -> None:
        super().__init__()
        self.max_len = max_len
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff or 4 * d_model) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        seq_len = idx.shape[-1]
        if seq_len > self.max_len:
            raise ValueError(f"sequence of length {seq_len} is longer than max_len={self.max_len}")
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(seq_len, device=idx.device))
        mask = torch.ones(seq_len, seq_len, dtype=torch.bool, device=idx.device).tril()
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.lm_head(self.norm(x))


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """Repeat each key/value head n_rep times, consecutively, so query head h reads kv head h // n_rep.

    out[:, h] == x[:, h // n_rep]   (kv head 0 serves query heads 0..n_rep-1, kv head 1 the next n_rep, ...)

    Shapes:
        x: (B, n_kv_heads, L, d_head)
        returns: (B, n_kv_heads * n_rep, L, d_head)
    """
    return x.repeat_interleave(n_rep, dim=1)


class GroupedQueryAttention(nn.Module):
    """Grouped-query attention: n_heads query heads share n_kv_heads key/value heads.

    The query heads are split into n_kv_heads consecutive groups of n_heads // n_kv_heads heads;
    every head of group g attends with kv head g. n_kv_heads == n_heads is multi-head attention,
    n_kv_heads == 1 is multi-query attention. The layers below are given (keep their names): the
    key and value projections are n_heads // n_kv_heads times narrower than the query projection.
    """

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        if n_kv_heads < 1 or n_heads % n_kv_heads:
            raise ValueError(f"n_heads={n_heads} is not divisible by n_kv_heads={n_kv_heads}")
        self.d_model, self.n_heads, self.n_kv_heads = d_model, n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """The same interface as MultiHeadAttention, so it drops into TransformerBlock.

        Shapes:
            query: (B, Lq, d_model); key, value: (B, Lk, d_model)
            mask: optional bool, broadcastable to (B, n_heads, Lq, Lk), True = may attend
            returns: (output (B, Lq, d_model), weights (B, n_heads, Lq, Lk)), scores scaled by 1/sqrt(d_head)
        """
        b, lq, _ = query.shape
        lk = key.shape[1]
        q = self.q_proj(query).view(b, lq, self.n_heads, self.d_head).transpose(1, 2)
        k = self.k_proj(key).view(b, lk, self.n_kv_heads, self.d_head).transpose(1, 2)
        v = self.v_proj(value).view(b, lk, self.n_kv_heads, self.d_head).transpose(1, 2)
        n_rep = self.n_heads // self.n_kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(b, lq, self.d_model)
        return self.out_proj(out), weights


def mha_to_gqa(mha: MultiHeadAttention, n_kv_heads: int) -> GroupedQueryAttention:
    """Convert a trained multi-head attention to grouped-query attention by mean-pooling K and V heads.

    Query and output projections are copied. Key head g of the result is the mean of the original
    key heads g*r .. g*r + r - 1 (r = n_heads // n_kv_heads): the rows of k_proj.weight (and the
    entries of k_proj.bias) of those heads averaged; the same for v_proj. With n_kv_heads ==
    n_heads nothing changes. The result has mha's dtype and does not share tensors with it.

    Shapes:
        mha.k_proj.weight: (n_heads * d_head, d_model) -> result.k_proj.weight: (n_kv_heads * d_head, d_model)
    """
    bias = mha.q_proj.bias is not None
    w = mha.q_proj.weight
    gqa = GroupedQueryAttention(mha.d_model, mha.n_heads, n_kv_heads, bias=bias).to(dtype=w.dtype, device=w.device)
    r, d_head = mha.n_heads // n_kv_heads, mha.d_head
    with torch.no_grad():
        gqa.q_proj.load_state_dict(mha.q_proj.state_dict())
        gqa.out_proj.load_state_dict(mha.out_proj.state_dict())
        for src, dst in ((mha.k_proj, gqa.k_proj), (mha.v_proj, gqa.v_proj)):
            dst.weight.copy_(src.weight.view(n_kv_heads, r, d_head, -1).mean(dim=1).reshape_as(dst.weight))
            if bias:
                dst.bias.copy_(src.bias.view(n_kv_heads, r, d_head).mean(dim=1).reshape(-1))
    return gqa


def convert_to_gqa(model: MiniFormer, n_kv_heads: int) -> MiniFormer:
    """A copy of model whose every block attends with mha_to_gqa(block.self_attn, n_kv_heads).

    Everything else (embeddings, norms, feed-forward layers, head) is copied unchanged; model itself
    is left untouched.
    """
    converted = copy.deepcopy(model)
    for block in converted.blocks:
        block.self_attn = mha_to_gqa(block.self_attn, n_kv_heads)
    return converted
