"""nlp-03-3: causal (autoregressive) attention. Edit this file; `grader check nlp-03-3` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will want math.sqrt)

import torch


def causal_mask(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    """Which keys each query may see in a left-to-right model.

    mask[i, j] is True when position i may attend to position j, i.e. when j <= i (itself and
    the past), False for every future position j > i.

    Shapes:
        returns: (seq_len, seq_len), dtype torch.bool
    """
    raise NotImplementedError("causal_mask: True on and below the diagonal")


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product self-attention in which position t only sees positions 0..t.

    weights = softmax(q kᵀ / sqrt(d), future scores set to -inf, over the keys); output = weights v.
    Use causal_mask. Weights on future positions must be exactly 0.

    Shapes:
        q: (..., T, d)
        k: (..., T, d)
        v: (..., T, dv)
        returns: (output (..., T, dv), weights (..., T, T)), in the dtype of the inputs
    """
    raise NotImplementedError("causal_attention: scores, causal mask to -inf, softmax, mix values")
