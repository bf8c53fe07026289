"""Reference solution for nlp-07-1."""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

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
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    return (j <= i) & (j > i - window)


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    b, h, length, d = q.shape
    w = min(window, length)
    n = -(-length // w)                                   # blocks of w queries
    extra = n * w - length
    q_blocks = F.pad(q, (0, 0, 0, extra)).view(b, h, n, w, d)

    def key_tiles(x: torch.Tensor) -> torch.Tensor:
        """(B, H, n, 2w, d): for query block c, the keys of blocks c - 1 and c (zeros before position 0)."""
        blocks = F.pad(x, (0, 0, w, extra)).view(b, h, n + 1, w, x.shape[-1])
        return torch.cat([blocks[:, :, :-1], blocks[:, :, 1:]], dim=3)

    scores = q_blocks @ key_tiles(k).transpose(-2, -1) / math.sqrt(d)     # (B, H, n, w, 2w)
    a = torch.arange(w)[:, None]                           # query offset in its block: position c·w + a
    s = torch.arange(2 * w)[None, :]                       # tile slot: key position (c - 1)·w + s
    band = (s > a) & (s <= a + w)                          # i - w < j <= i
    first = torch.zeros(n, 1, 1, dtype=torch.bool)
    first[0] = True
    allowed = band & ~(first & (s < w))                    # block 0 has no previous block
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    out = weights @ key_tiles(v)                           # (B, H, n, w, d_v)
    return out.reshape(b, h, n * w, v.shape[-1])[:, :, :length]


def position_losses(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    with torch.no_grad():
        if window is None:
            logits = model(tokens[None])
        else:
            if window < 1:
                raise ValueError(f"window must be >= 1, got {window}")
            logits = model(tokens[None], attention=lambda q, k, v: sliding_window_attention(q, k, v, window))
    logp = torch.log_softmax(logits[0, :-1].double(), dim=-1)
    return -logp.gather(1, tokens[1:, None])[:, 0]


def bucket_means(losses: torch.Tensor, bucket: int) -> np.ndarray:
    if bucket < 1:
        raise ValueError(f"bucket must be >= 1, got {bucket}")
    x = np.asarray(losses, dtype=np.float64)
    return np.array([x[i:i + bucket].mean() for i in range(0, len(x), bucket)])
