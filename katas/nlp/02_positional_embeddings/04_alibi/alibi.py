"""nlp-02-4: ALiBi, attention with linear biases. Edit this file; `grader check nlp-02-4` tests it."""
from __future__ import annotations

import torch


def alibi_slopes(n_heads: int) -> torch.Tensor:
    """The per-head slopes m_h of Press et al. (2022).

    For n_heads a power of two: m_h = 2 ** (-8 h / n_heads), h = 1, ..., n_heads.
    Otherwise, with c the largest power of two below n_heads: the c slopes of c heads, followed by
    the first n_heads - c of every other slope (1st, 3rd, 5th, ...) of the 2c-head sequence.

    Shapes:
        returns: (n_heads,), float32, in the order above: for a power of two the slopes decrease
            (largest first, 1/2 ... 1/256 for 8 heads); otherwise they are NOT sorted: the c
            decreasing slopes of c heads come first, then the interleaved ones, again decreasing.
            Six heads: 1/4, 1/16, 1/64, 1/256, then 1/2, 1/8 (as `get_slopes` in the ALiBi code).

    Raises:
        ValueError: if n_heads is not positive.
    """
    raise NotImplementedError("alibi_slopes: the geometric sequence of head slopes")


def alibi_bias(n_heads: int, seq_len: int) -> torch.Tensor:
    """The additive score bias of causal ALiBi, including the causal mask.

    bias[h, i, j] = -m_h * (i - j) where key j is at or before query i (j <= i), and -inf where
    j > i (a future key). Added to the scaled scores q.k / sqrt(d) before the softmax.

    Shapes:
        returns: (n_heads, seq_len, seq_len), float32

    Raises:
        ValueError: if n_heads or seq_len is not positive.
    """
    raise NotImplementedError("alibi_bias: -slope * (i - j) on and below the diagonal, -inf above")


def alibi_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Causal multi-head attention with ALiBi: softmax(q k^T / sqrt(d_head) + bias) v.

    Shapes:
        q, k, v: (..., n_heads, T, d_head)
        returns: (..., n_heads, T, d_head), the dtype of q
    """
    raise NotImplementedError("alibi_attention: scaled scores + alibi_bias, softmax, times v")
