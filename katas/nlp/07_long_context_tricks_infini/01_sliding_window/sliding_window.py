"""nlp-07-1: sliding-window attention, and the loss it gives on a long document. Edit this file;
`grader check nlp-07-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.sqrt for the scale)

import numpy as np
import torch
import torch.nn.functional as F  # noqa: F401  (F.pad, F.scaled_dot_product_attention)

from grader import lm

TRAINED_CONTEXT = lm.CONTEXT   # the workbook LM was trained on windows of 64 characters, never longer


def workbook_lm() -> lm.CharGPT:
    """Given, complete: the workbook's trained character-level GPT (grader/lm.py), float32, eval mode.

    4 pre-norm layers with rotary position embeddings, trained by tools/train_char_lm.py on tiny
    Shakespeare with windows of TRAINED_CONTEXT = 64 characters. `model(ids)` maps (B, T) ids to
    (B, T, 65) logits for any T; `model(ids, attention=f)` runs every layer's attention as
    `f(q, k, v)` on rotated (B, H, T, head_dim) queries and keys instead of full causal attention.
    Cached: shared by every caller, so do not modify it.
    """
    return lm.load_model()


def held_out_text(n_chars: int, start: int = 0) -> torch.Tensor:
    """Given, complete: character ids (n_chars,) of the held-out validation split, from `start` on."""
    return lm.corpus_splits()[1][start:start + n_chars]


def sliding_window_mask(seq_len: int, window: int) -> torch.Tensor:
    """The causal sliding-window mask: query i may attend key j iff i - window < j <= i.

    Every query sees itself and the window - 1 keys before it (fewer near the start). window >= seq_len
    is the plain causal mask.

    Shapes:
        returns: (seq_len, seq_len), dtype bool, True = may attend

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("sliding_window_mask: a band below the diagonal, window wide")


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    """softmax(q kᵀ / sqrt(d_head) + sliding-window mask) v, without ever forming the (L, L) scores.

    Must equal scaled_dot_product_attention(q, k, v, attn_mask=sliding_window_mask(L, window)), but
    its matmul work has to grow like L · window, not L²: compute each query's scores against its own
    window of keys only (see the hints), so FlopCounterMode counts at most
    2 · B · H · 2 (L + window) · window · (d_head + d_v) FLOPs.

    Shapes:
        q, k: (B, H, L, d_head); v: (B, H, L, d_v)
        returns: (B, H, L, d_v)

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("sliding_window_attention: scores against each query's window of keys only")


def position_losses(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    """Per-position next-character loss of a CharGPT on one long document, read in a single pass.

    Run the model once over the whole document, model(tokens[None]) with its full causal attention
    when window is None, and with attention=lambda q, k, v: sliding_window_attention(q, k, v, window)
    otherwise. Entry t is -log p(tokens[t + 1] | tokens[0..t]) from the logits at position t,
    log-softmax computed in float64. The model and tokens are not modified; no gradients.

    Shapes:
        tokens: (L,) long, L >= 2
        returns: (L - 1,) float64

    Raises:
        ValueError: if window is not None and window < 1.
    """
    raise NotImplementedError("position_losses: one forward pass, your attention plugged in, shifted targets")


def bucket_means(losses: torch.Tensor, bucket: int) -> np.ndarray:
    """Mean of each run of `bucket` consecutive entries: positions 0..bucket-1, bucket..2·bucket-1, ...

    The last run may be shorter; it is averaged over the entries it has.

    Shapes:
        losses: (n,) with n >= 1
        returns: (ceil(n / bucket),) float64

    Raises:
        ValueError: if bucket < 1.
    """
    raise NotImplementedError("bucket_means: one mean per run of bucket positions, the last one shorter")
