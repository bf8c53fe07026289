"""Reference solution for nlp-09-2."""
from __future__ import annotations

import math

import torch
from torch import nn


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """Given, complete (nlp-09-1): (B, G, L, d_head) -> (B, G * n_rep, L, d_head), out[:, h] = x[:, h // n_rep]."""
    return x.repeat_interleave(n_rep, dim=1)


class GroupedQueryAttention(nn.Module):
    """Given, complete (nlp-09-1): n_heads query heads sharing n_kv_heads key/value heads.

    n_kv_heads == n_heads is vanilla multi-head attention. forward(x, mask=None) is full-sequence
    self-attention (bool mask, True = may attend) and returns (B, L, d_model).
    """

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads or n_kv_heads < 1 or n_heads % n_kv_heads:
            raise ValueError(f"need n_heads | d_model and n_kv_heads | n_heads, got {d_model=}, {n_heads=}, {n_kv_heads=}")
        self.d_model, self.n_heads, self.n_kv_heads = d_model, n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def split(self, x: torch.Tensor, n: int) -> torch.Tensor:
        """(B, L, n * d_head) -> (B, n, L, d_head)."""
        return x.view(x.shape[0], x.shape[1], n, self.d_head).transpose(1, 2)

    def attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """q (B, H, Lq, d_head), k and v (B, G, Lk, d_head) -> merged heads (B, Lq, d_model), before out_proj."""
        n_rep = self.n_heads // self.n_kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return out.transpose(1, 2).reshape(q.shape[0], q.shape[2], self.d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        q = self.split(self.q_proj(x), self.n_heads)
        k, v = self.split(self.k_proj(x), self.n_kv_heads), self.split(self.v_proj(x), self.n_kv_heads)
        return self.out_proj(self.attend(q, k, v, mask))


def decode_step(attn: GroupedQueryAttention, x_t: torch.Tensor,
                cache: tuple[torch.Tensor, torch.Tensor] | None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """One step of autoregressive decoding with a key/value cache.

    Project the new token, append its key and value (n_kv_heads heads, *not* repeated) to the
    cache, and let its n_heads query heads attend to every cached position, itself included.
    The result equals row T of attn(x, causal mask) for the sequence the cache was built from.

    Shapes:
        x_t: (B, 1, d_model), the newest token
        cache: None (nothing decoded yet) or (k, v), each (B, n_kv_heads, T, d_head)
        returns: (out (B, 1, d_model), (k, v) each (B, n_kv_heads, T + 1, d_head)), dtype of x_t
    """
    q = attn.split(attn.q_proj(x_t), attn.n_heads)
    k = attn.split(attn.k_proj(x_t), attn.n_kv_heads)
    v = attn.split(attn.v_proj(x_t), attn.n_kv_heads)
    if cache is not None:
        k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
    return attn.out_proj(attn.attend(q, k, v)), (k, v)


def kv_cache_bytes(batch: int, seq_len: int, n_kv_heads: int, d_head: int, n_layers: int = 1,
                   dtype: torch.dtype = torch.float32) -> int:
    """Bytes of a full KV cache: keys and values of every layer, kv head and position.

    Returns:
        an int, 2 * n_layers * batch * seq_len * n_kv_heads * d_head * (bytes per element of dtype)
    """
    itemsize = torch.empty((), dtype=dtype).element_size()
    return 2 * n_layers * batch * seq_len * n_kv_heads * d_head * itemsize


def decode_step_flops(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int) -> int:
    """Matmul FLOPs of one decode_step with context_len tokens already cached (2 per multiply-add).

    Count the q, k, v and output projections of the new token and the two attention products
    (scores q k^T and weights @ v) over the context_len + 1 cached positions.

    Returns:
        an int
    """
    d_head = d_model // n_heads
    keys = context_len + 1
    projections = 2 * batch * d_model * (2 * d_model + 2 * n_kv_heads * d_head)
    attention = 2 * (2 * batch * n_heads * keys * d_head)
    return projections + attention


def decode_step_bytes(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int,
                      dtype: torch.dtype = torch.float32, bias: bool = True) -> int:
    """Bytes one decode_step must read from memory, in a simple model:

    every parameter of the four projections (weights, and biases if bias) read once, plus every
    cached key and value, context_len + 1 positions (the new token's included), read once.
    Activations are ignored.

    Returns:
        an int
    """
    d_head = d_model // n_heads
    kv_width = n_kv_heads * d_head
    params = 2 * d_model * d_model + 2 * d_model * kv_width
    if bias:
        params += 2 * d_model + 2 * kv_width
    itemsize = torch.empty((), dtype=dtype).element_size()
    return params * itemsize + kv_cache_bytes(batch, context_len + 1, n_kv_heads, d_head, dtype=dtype)


def memory_bound_speedup(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int,
                         dtype: torch.dtype = torch.float32) -> float:
    """Predicted decode speedup of GQA over vanilla multi-head attention (n_kv_heads = n_heads) when
    a step is memory-bound: the ratio of the bytes the two must read (with biases).

    Returns:
        a float >= 1
    """
    mha = decode_step_bytes(batch, context_len, d_model, n_heads, n_heads, dtype)
    return mha / decode_step_bytes(batch, context_len, d_model, n_heads, n_kv_heads, dtype)
