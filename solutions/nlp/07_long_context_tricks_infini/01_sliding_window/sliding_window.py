"""Reference solution for nlp-07-1."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def copy_head(tokens: torch.Tensor, lag: int, vocab_size: int,
              sharpness: float = 8.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Given, complete: q, k, v of a hand-set attention head that looks `lag` positions back.

    Query t and key j get rotary-style features with frequencies pi / 2**m, so that after the usual
    1/sqrt(d_head) scaling the score is sharpness · Σ_m cos(pi (t - lag - j) / 2**m): largest (= M ·
    sharpness) exactly at j = t - lag, at least 2 · sharpness lower at every other key of the
    document. The value of key j is the one-hot of tokens[j], so the head's output at t is (almost)
    the one-hot of tokens[t - lag].

    Shapes:
        tokens: (L,), dtype long
        returns: q, k (1, 1, L, 2M) and v (1, 1, L, vocab_size), float64
    """
    length = tokens.shape[0]
    n_freq = max(1, math.ceil(math.log2(length + lag + 1)) + 1)
    theta = math.pi / 2.0 ** torch.arange(n_freq, dtype=torch.float64)
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    d_head = 2 * n_freq
    scale = sharpness * math.sqrt(d_head)
    q = scale * torch.cat([torch.cos((pos - lag) * theta), torch.sin((pos - lag) * theta)], dim=-1)
    k = torch.cat([torch.cos(pos * theta), torch.sin(pos * theta)], dim=-1)
    v = F.one_hot(tokens, vocab_size).double()
    return q[None, None], k[None, None], v[None, None]


def readout(head_out: torch.Tensor, eps: float = 1e-3) -> torch.Tensor:
    """Given, complete: next-token log-probabilities log((1 - eps) · head_out + eps / V).

    Shapes:
        head_out: (..., L, V), rows are convex combinations of one-hots
        returns: (..., L, V)
    """
    return torch.log((1 - eps) * head_out + eps / head_out.shape[-1])


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


def long_doc_loss(tokens: torch.Tensor, window: int, period: int, vocab_size: int) -> float:
    lag = period - 1
    q, k, v = copy_head(tokens, lag, vocab_size)
    logp = readout(sliding_window_attention(q, k, v, window))[0, 0]      # (L, V): predicts the next token
    t = torch.arange(lag, tokens.shape[0] - 1)
    return float(-logp[t, tokens[t + 1]].mean())
