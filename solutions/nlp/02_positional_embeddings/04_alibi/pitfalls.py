"""Plausible wrong versions of the ALiBi functions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from alibi import _power_of_two_slopes, alibi_bias, alibi_slopes


@pitfall(replaces="alibi_slopes", why="heads counted from h = 0: the first slope is 1 and the last 2^(-8(n-1)/n)")
def slopes_from_zero(n_heads: int) -> torch.Tensor:
    if n_heads <= 0:
        raise ValueError("n_heads")
    return torch.tensor([2.0 ** (-8.0 * h / n_heads) for h in range(n_heads)], dtype=torch.float32)


@pitfall(replaces="alibi_slopes", why="applies 2^(-8h/n) to every head count, ignoring the non-power-of-two rule")
def closed_form_for_any_n(n_heads: int) -> torch.Tensor:
    if n_heads <= 0:
        raise ValueError("n_heads")
    return torch.tensor([2.0 ** (-8.0 * h / n_heads) for h in range(1, n_heads + 1)], dtype=torch.float32)


@pitfall(replaces="alibi_slopes", why="takes the even entries [1::2] of the 2c-head sequence: repeats the first c slopes")
def wrong_interleave(n_heads: int) -> torch.Tensor:
    if n_heads <= 0:
        raise ValueError("n_heads")
    closest = 2 ** math.floor(math.log2(n_heads))
    slopes = _power_of_two_slopes(closest) + _power_of_two_slopes(2 * closest)[1::2][: n_heads - closest]
    return torch.tensor(slopes, dtype=torch.float32)


@pitfall(replaces="alibi_bias", why="+slope * (i - j): rewards distant keys instead of penalising them")
def bias_sign_flipped(n_heads: int, seq_len: int) -> torch.Tensor:
    pos = torch.arange(seq_len)
    bias = alibi_slopes(n_heads)[:, None, None] * (pos[:, None] - pos[None, :]).float()
    return bias.masked_fill(pos[None, :] > pos[:, None], float("-inf"))


@pitfall(replaces="alibi_bias", why="causal mask with triu(diagonal=0): a token cannot attend to itself")
def mask_covers_diagonal(n_heads: int, seq_len: int) -> torch.Tensor:
    pos = torch.arange(seq_len)
    bias = -alibi_slopes(n_heads)[:, None, None] * (pos[:, None] - pos[None, :]).float()
    return bias.masked_fill(pos[None, :] >= pos[:, None], float("-inf"))


@pitfall(replaces="alibi_bias", why="bidirectional -slope * |i - j| with no causal mask")
def symmetric_no_mask(n_heads: int, seq_len: int) -> torch.Tensor:
    pos = torch.arange(seq_len)
    return -alibi_slopes(n_heads)[:, None, None] * (pos[:, None] - pos[None, :]).abs().float()


@pitfall(replaces="alibi_attention", why="forgets the 1/sqrt(d_head) scale of the scores")
def unscaled(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) + alibi_bias(q.shape[-3], q.shape[-2]).to(q.dtype)
    return torch.softmax(scores, dim=-1) @ v


@pitfall(replaces="alibi_attention", why="adds the bias after the softmax")
def bias_after_softmax(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    bias = alibi_bias(q.shape[-3], q.shape[-2]).to(q.dtype)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(torch.isinf(bias), float("-inf"))
    weights = torch.softmax(scores, dim=-1) + torch.where(torch.isinf(bias), 0.0, bias)
    return weights @ v


@pitfall(replaces="alibi_slopes", why="sorts the slopes largest first: for 6 heads 1/2, 1/4, 1/8, ... instead of the reference order")
def sorted_slopes(n_heads: int) -> torch.Tensor:
    if n_heads <= 0:
        raise ValueError(f"n_heads must be positive, got {n_heads}")
    closest = 2 ** math.floor(math.log2(n_heads))
    slopes = _power_of_two_slopes(closest) + _power_of_two_slopes(2 * closest)[0::2][: n_heads - closest]
    return torch.tensor(sorted(slopes, reverse=True), dtype=torch.float32)


@pitfall(replaces="alibi_bias", why="no check on seq_len: alibi_bias(h, 0) returns an empty tensor instead of raising")
def unchecked_length(n_heads: int, seq_len: int) -> torch.Tensor:
    pos = torch.arange(max(seq_len, 0))
    bias = -alibi_slopes(n_heads)[:, None, None] * (pos[:, None] - pos[None, :]).to(torch.float32)
    return bias.masked_fill(pos[None, :] > pos[:, None], float("-inf"))


@pitfall(replaces="alibi_attention", why="casts q, k, v to float32: float64 inputs come back float32")
def float32_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    q, k, v = q.float(), k.float(), v.float()
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]) + alibi_bias(q.shape[-3], q.shape[-2])
    return torch.softmax(scores, dim=-1) @ v


@pitfall(replaces="alibi_attention", why="reads n_heads from q.shape[1], assuming a (batch, heads, T, d) input")
def heads_from_axis_one(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    bias = alibi_bias(q.shape[1], q.shape[-2]) if q.dim() == 4 else alibi_bias(1, q.shape[-2])
    return torch.softmax(scores + bias.to(scores.dtype), dim=-1) @ v
