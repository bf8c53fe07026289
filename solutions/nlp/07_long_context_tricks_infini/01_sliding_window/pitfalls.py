"""Plausible wrong sliding-window attention that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sliding_window import lm, sliding_window_attention, sliding_window_mask


@pitfall(replaces="sliding_window_mask", why="i - j <= window: every query sees window + 1 keys")
def mask_one_too_wide(seq_len: int, window: int) -> torch.Tensor:
    if window < 1:
        raise ValueError("window")
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    return (j <= i) & (j >= i - window)


@pitfall(replaces="sliding_window_mask", why="a symmetric band |i - j| < window: queries see future tokens")
def mask_not_causal(seq_len: int, window: int) -> torch.Tensor:
    if window < 1:
        raise ValueError("window")
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    return (i - j).abs() < window


@pitfall(replaces="sliding_window_attention", why="masks full (L, L) scores: right numbers, quadratic work")
def dense_masked(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    length = q.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~sliding_window_mask(length, window), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


@pitfall(replaces="sliding_window_attention", why="the first window - 1 queries also attend to the zero padding")
def attends_to_padding(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    w = min(window, q.shape[-2])
    k_win = F.pad(k, (0, 0, w - 1, 0)).unfold(-2, w, 1)
    v_win = F.pad(v, (0, 0, w - 1, 0)).unfold(-2, w, 1)
    scores = torch.einsum("bhld,bhldw->bhlw", q, k_win) / math.sqrt(q.shape[-1])
    return torch.einsum("bhlw,bhldw->bhld", torch.softmax(scores, dim=-1), v_win)


@pitfall(replaces="sliding_window_attention", why="forgets the 1/sqrt(d_head) scale")
def unscaled(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    length = q.shape[-2]
    w = min(window, length)
    k_win = F.pad(k, (0, 0, w - 1, 0)).unfold(-2, w, 1)
    v_win = F.pad(v, (0, 0, w - 1, 0)).unfold(-2, w, 1)
    scores = torch.einsum("bhld,bhldw->bhlw", q, k_win)
    key_pos = torch.arange(length)[:, None] - (w - 1) + torch.arange(w)[None, :]
    weights = torch.softmax(scores.masked_fill(key_pos < 0, float("-inf")), dim=-1)
    return torch.einsum("bhlw,bhldw->bhld", weights, v_win)


@pitfall(replaces="position_losses", why="scores position t against token t (no shift): the model is asked for its input")
def losses_without_shift(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    if window is not None and window < 1:
        raise ValueError("window")
    attention = None if window is None else (lambda q, k, v: sliding_window_attention(q, k, v, window))
    with torch.no_grad():
        logp = torch.log_softmax(model(tokens[None], attention=attention)[0].double(), dim=-1)
    return -logp[torch.arange(len(tokens) - 1), tokens[:-1]]


@pitfall(replaces="position_losses", why="validates the window but never plugs the attention in: always full attention")
def window_ignored(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    if window is not None and window < 1:
        raise ValueError("window")
    with torch.no_grad():
        logp = torch.log_softmax(model(tokens[None])[0, :-1].double(), dim=-1)
    return -logp.gather(1, tokens[1:, None])[:, 0]


@pitfall(replaces="position_losses", why="chops the document into window-long chunks and restarts the context at each")
def chunked_instead_of_sliding(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    if window is not None and window < 1:
        raise ValueError("window")
    w = len(tokens) if window is None else window
    out = []
    with torch.no_grad():
        logp = torch.cat([torch.log_softmax(model(tokens[None, s:s + w])[0].double(), dim=-1)
                          for s in range(0, len(tokens), w)])
    out = -logp[:-1].gather(1, tokens[1:, None])[:, 0]
    return out


@pitfall(replaces="position_losses", why="log-softmax over the positions axis instead of the vocabulary")
def softmax_over_positions(model: lm.CharGPT, tokens: torch.Tensor, window: int | None = None) -> torch.Tensor:
    if window is not None and window < 1:
        raise ValueError("window")
    attention = None if window is None else (lambda q, k, v: sliding_window_attention(q, k, v, window))
    with torch.no_grad():
        logp = torch.log_softmax(model(tokens[None], attention=attention)[0, :-1].double(), dim=0)
    return -logp.gather(1, tokens[1:, None])[:, 0]


@pitfall(replaces="bucket_means", why="drops the last, shorter bucket")
def drops_partial_bucket(losses: torch.Tensor, bucket: int) -> np.ndarray:
    if bucket < 1:
        raise ValueError("bucket")
    x = np.asarray(losses, dtype=np.float64)
    n = max(1, len(x) // bucket) * bucket
    return x[:n].reshape(-1, bucket).mean(axis=1) if len(x) >= bucket else np.array([x.mean()])


@pitfall(replaces="bucket_means", why="divides the last bucket's sum by the full bucket size")
def last_bucket_over_full_size(losses: torch.Tensor, bucket: int) -> np.ndarray:
    if bucket < 1:
        raise ValueError("bucket")
    x = np.asarray(losses, dtype=np.float64)
    return np.array([x[i:i + bucket].sum() / bucket for i in range(0, len(x), bucket)])
