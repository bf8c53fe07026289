"""nlp-07-1: sliding-window attention, and the loss it gives on a long document. Edit this file;
`grader check nlp-07-1` tests it."""
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


def long_doc_loss(tokens: torch.Tensor, window: int, period: int, vocab_size: int) -> float:
    """Mean next-token loss of the copy head on a long periodic document, with sliding-window attention.

    The document repeats a segment of `period` tokens, so token t + 1 equals token t + 1 - period:
    the copy head with lag = period - 1 (given) can predict it, if its window reaches that far.
    Take q, k, v = copy_head(tokens, period - 1, vocab_size), run your sliding_window_attention with
    `window`, turn the output into log-probabilities with readout (given), and return the mean of
    -log p(tokens[t + 1]) read at position t, over t = period - 1 .. L - 2 (the positions whose
    source token exists).

    Shapes:
        tokens: (L,), dtype long, L >= period + 1
    """
    raise NotImplementedError("long_doc_loss: copy head, your attention, readout, mean next-token NLL")
