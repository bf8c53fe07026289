"""Reference solution for nlp-04-3."""
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
    return attention(k, q, q)[1]


def identity_value_output(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    eye = torch.eye(k.shape[-2], dtype=k.dtype, device=k.device)
    return attention(q, k, eye)[0]


def zero_query(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return attention(torch.zeros_like(q), k, v)


def scaled_query_weights(q: torch.Tensor, k: torch.Tensor, c: float) -> torch.Tensor:
    return attention(c * q, k, k)[1]


def attention_entropy(weights: torch.Tensor) -> torch.Tensor:
    return -torch.special.xlogy(weights, weights).sum(-1)


def explosion_diagnostics(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaled: bool) -> dict[str, float]:
    q = q.detach().clone().requires_grad_(True)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scaled else 1.0
    scores = scale * (q @ k.detach().transpose(-2, -1))
    weights = torch.softmax(scores, dim=-1)
    (weights @ v.detach()).sum().backward()
    w = weights.detach()
    return {
        "score_std": scores.detach().std().item(),
        "max_weight": w.max(dim=-1).values.mean().item(),
        "entropy": attention_entropy(w).mean().item(),
        "grad_norm": q.grad.norm().item(),
    }
