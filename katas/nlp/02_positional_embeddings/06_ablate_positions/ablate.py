"""nlp-02-6: ablate positions and watch attention collapse. Edit this file; `grader check nlp-02-6` tests it."""
from __future__ import annotations

import torch


def sinusoidal_table(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    """The sine/cosine position table of Vaswani et al., (seq_len, d_model) float64. Given, complete."""
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError(f"need positive seq_len and even d_model, got {seq_len=}, {d_model=}")
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    return torch.stack([torch.sin(angles), torch.cos(angles)], dim=-1).reshape(seq_len, d_model)


def attention_with_positions(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                             w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Single-head self-attention, unmasked, on token vectors plus (optionally) positions.

    h = x + pe[:T] (or h = x when pe is None); q, k, v = h @ w_q, h @ w_k, h @ w_v;
    weights = softmax(q k^T / sqrt(d_k)) over the keys; out = weights @ v. No causal mask: a mask
    is itself positional information, and this kata removes all of it.

    Shapes:
        x: (..., T, d_model)
        pe: (>= T, d_model) or None
        w_q, w_k: (d_model, d_k); w_v: (d_model, d_v)
        returns: out (..., T, d_v), weights (..., T, T) whose rows sum to 1
    """
    raise NotImplementedError("attention_with_positions: add pe, project, softmax(q k^T / sqrt(d_k)), weigh v")


def attention_entropy(weights: torch.Tensor) -> torch.Tensor:
    """Mean over query rows of the entropy -sum_j p_j log p_j of each attention row, in nats.

    0 log 0 counts as 0. A uniform row over T keys has entropy log T, the maximum: the attention
    has collapsed to an average. A one-hot row has entropy 0.

    Shapes:
        weights: (..., T_q, T_k), rows summing to 1
        returns: (...)
    """
    raise NotImplementedError("attention_entropy: row entropies in nats, averaged over the rows")


def pooled_order_gap(x: torch.Tensor, perm: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor,
                     w_k: torch.Tensor, w_v: torch.Tensor) -> torch.Tensor:
    """How much reordering the tokens changes a mean-pooled attention readout.

    Run attention_with_positions on x and on the reordered tokens x[..., perm, :] (positions stay
    where they are: token perm[t] now sits at position t), average each output over the T positions,
    and return the Euclidean norm of the difference of the two averages.

    Shapes:
        x: (..., T, d_model); perm: (T,) a permutation of 0..T-1; pe: (>= T, d_model) or None
        returns: (...), zero (up to rounding) when pe is None
    """
    raise NotImplementedError("pooled_order_gap: pool both orderings, compare")
