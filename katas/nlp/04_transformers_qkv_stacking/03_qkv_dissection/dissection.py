"""nlp-04-3: dissect Q, K and V. Edit this file; `grader check nlp-04-3` tests it."""
from __future__ import annotations

import math

import torch


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
              scale: float | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Given, complete: scaled dot-product attention (you wrote it in nlp-03-1).

    weights = softmax(scale · q kᵀ) over the keys, scale = 1/sqrt(d) when None; output = weights v.

    Shapes:
        q: (..., Lq, d), k: (..., Lk, d), v: (..., Lk, dv)
        returns: (output (..., Lq, dv), weights (..., Lq, Lk))
    """
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    weights = torch.softmax(scale * (q @ k.transpose(-2, -1)), dim=-1)
    return weights @ v, weights


def swap_qk_weights(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """Attention weights with the roles of queries and keys swapped: the keys ask, the queries answer.

    softmax(k qᵀ / sqrt(d)) over the last axis: the raw scores are the transpose of q kᵀ, but each
    row is normalised over the queries instead.

    Shapes:
        q: (..., Lq, d), k: (..., Lk, d)
        returns: (..., Lk, Lq), every row sums to 1
    """
    raise NotImplementedError("swap_qk_weights: attend with k as the queries and q as the keys")


def identity_value_output(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """The attention output when V is the identity matrix (value j = one-hot e_j).

    Output row i is then Σ_j w_ij e_j, i.e. the attention weights themselves.

    Shapes:
        q: (..., Lq, d), k: (..., Lk, d)
        returns: (..., Lq, Lk)
    """
    raise NotImplementedError("identity_value_output: run attention with v = I")


def zero_query(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Attention with every query replaced by zeros (q itself must not be modified).

    All scores are 0, so every weight is 1/Lk and every output row is the mean of the values.

    Shapes:
        q: (..., Lq, d), k: (..., Lk, d), v: (..., Lk, dv)
        returns: (output (..., Lq, dv), weights (..., Lq, Lk))
    """
    raise NotImplementedError("zero_query: attention with a zeroed copy of q")


def scaled_query_weights(q: torch.Tensor, k: torch.Tensor, c: float) -> torch.Tensor:
    """Attention weights when the queries are multiplied by c >= 0 (q itself must not be modified).

    Scaling q by c multiplies every score by c: a softmax temperature of 1/c. c = 0 gives uniform
    weights, c -> infinity gives one-hot weights on each row's largest score.

    Shapes:
        q: (..., Lq, d), k: (..., Lk, d)
        returns: (..., Lq, Lk)
    """
    raise NotImplementedError("scaled_query_weights: attention weights of (c q, k)")


def attention_entropy(weights: torch.Tensor) -> torch.Tensor:
    """Entropy in nats of every row: H = -Σ_j w_j log w_j, with 0 log 0 = 0.

    Shapes:
        weights: (..., Lk), rows are probability distributions (may contain exact zeros)
        returns: (...,)
    """
    raise NotImplementedError("attention_entropy: -sum w log w, safe at w = 0")


def explosion_diagnostics(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaled: bool) -> dict[str, float]:
    """How far the softmax saturates, with (scaled=True) or without (scaled=False) the 1/sqrt(d) scale.

    With scores s = q kᵀ / sqrt(d) if scaled else q kᵀ, w = softmax(s) over the keys and
    out = w v, return a dict of Python floats:
        "score_std":  the standard deviation of all Lq·Lk scores (Bessel-corrected, torch.std's default)
        "max_weight": the mean over query rows of the row's largest weight (1 = one-hot, saturated)
        "entropy":    the mean over query rows of the row's entropy in nats
        "grad_norm":  the Frobenius norm of d(out.sum())/dq, computed with autograd
    q, k and v are left unchanged (no gradient attached to them afterwards).

    Shapes:
        q: (Lq, d), k: (Lk, d), v: (Lk, dv)
    """
    raise NotImplementedError("explosion_diagnostics: scores, softmax, the four numbers, autograd for the gradient")
