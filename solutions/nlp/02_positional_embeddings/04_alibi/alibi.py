"""Reference solution for nlp-02-4."""
from __future__ import annotations

import math

import torch


def _power_of_two_slopes(n: int) -> list[float]:
    return [2.0 ** (-8.0 * h / n) for h in range(1, n + 1)]


def alibi_slopes(n_heads: int) -> torch.Tensor:
    if n_heads <= 0:
        raise ValueError(f"n_heads must be positive, got {n_heads}")
    closest = 2 ** math.floor(math.log2(n_heads))
    slopes = _power_of_two_slopes(closest)
    slopes += _power_of_two_slopes(2 * closest)[0::2][: n_heads - closest]
    return torch.tensor(slopes, dtype=torch.float32)


def alibi_bias(n_heads: int, seq_len: int) -> torch.Tensor:
    if seq_len <= 0:
        raise ValueError(f"seq_len must be positive, got {seq_len}")
    pos = torch.arange(seq_len)
    distance = (pos[:, None] - pos[None, :]).to(torch.float32)          # i - j, (T, T)
    bias = -alibi_slopes(n_heads)[:, None, None] * distance             # (H, T, T)
    return bias.masked_fill(pos[None, :] > pos[:, None], float("-inf"))


def alibi_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    n_heads, seq_len, d_head = q.shape[-3], q.shape[-2], q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
    scores = scores + alibi_bias(n_heads, seq_len).to(scores.dtype)
    return torch.softmax(scores, dim=-1) @ v
