"""nlp-36-2: causal tracing by activation patching. Edit this file; `grader check nlp-36-2` tests it."""
from __future__ import annotations

import numpy as np
import torch

from grader import lm


def residual_stream(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    """Every residual-stream state of the forward pass of `model` on `idx`, without gradients.

    states[0] is the token embedding (what enters block 0), states[l] what block l-1 outputs (what
    enters block l), states[L] the output of the last block (what enters the final LayerNorm).
    Positions are arange(T), as in model(idx).

    Shapes:
        idx: (B, T) int64
        returns: (L + 1, B, T, d_model) float32
    """
    raise NotImplementedError("residual_stream: run embed and the blocks by hand, keep every state")


def patched_logits(model: lm.CharGPT, idx: torch.Tensor, layer: int, position: int,
                   value: torch.Tensor) -> torch.Tensor:
    """The logits of `model` on `idx` with one residual-stream state overwritten.

    The state at (layer, position), numbered as in residual_stream (layer 0 = the embedding,
    layer L = after the last block), is replaced by `value` in every sequence of the batch before
    the rest of the forward pass runs. No gradients; the model and the inputs are not modified.

    Shapes:
        idx: (B, T) int64
        value: (d_model,) or (B, d_model)
        returns: (B, T, vocab_size) float32

    Raises:
        ValueError: if layer is not in 0..L or position not in 0..T-1.
    """
    raise NotImplementedError("patched_logits: overwrite one state, finish the forward pass")


def causal_trace(model: lm.CharGPT, clean: torch.Tensor, corrupt: torch.Tensor, target: int) -> np.ndarray:
    """How much of the clean prediction each single state restores when patched into the corrupt run.

    With p(·) the probability of `target` at the last position, p_clean and
    p_corrupt from the two unpatched runs, and p_patched(l, t) from the corrupt run with state
    (l, t) replaced by the clean run's state (l, t):
        trace[l, t] = (p_patched(l, t) - p_corrupt) / (p_clean - p_corrupt)

    Shapes:
        clean, corrupt: (T,) int64, the same length
        returns: (L + 1, T) float64

    Raises:
        ValueError: if clean and corrupt are not 1-D of one length, or p_clean == p_corrupt.
    """
    raise NotImplementedError("causal_trace: patch each clean state into the corrupt run, normalise")
