"""nlp-02-3: rotary position embedding (RoPE). Edit this file; `grader check nlp-02-3` tests it."""
from __future__ import annotations

import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    """Rotate each channel pair of x by an angle proportional to its token's position (Su et al.).

    Convention: INTERLEAVED pairs (RoFormer, Meta's LLaMA reference code). Channels 2i and 2i+1 form
    pair i, rotated by the angle positions[t] * theta_i with theta_i = base ** (-2i / d_head):

        out[..., t, 2i]   = x[..., t, 2i] * cos(a) - x[..., t, 2i+1] * sin(a)
        out[..., t, 2i+1] = x[..., t, 2i] * sin(a) + x[..., t, 2i+1] * cos(a)

    Shapes:
        x: (..., T, d_head), floating point, d_head even
        positions: integer tensor broadcastable to x.shape[:-1]: usually (T,), or per sequence
            e.g. (batch, T) for x of shape (batch, T, d_head)
        returns: same shape and dtype as x

    Raises:
        ValueError: if d_head is odd.
    """
    raise NotImplementedError("apply_rope: rotate the pairs (2i, 2i+1) by positions * theta_i")
