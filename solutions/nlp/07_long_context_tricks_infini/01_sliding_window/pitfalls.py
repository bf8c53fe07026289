"""Plausible wrong sliding-window attention that the tests must reject."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall


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


@pitfall(replaces="long_doc_loss", why="scores position t against token t (no shift): the head is asked to predict its input")
def loss_without_shift(tokens: torch.Tensor, window: int, period: int, vocab_size: int) -> float:
    q, k, v = copy_head(tokens, period - 1, vocab_size)
    logp = readout(sliding_window_attention(q, k, v, window))[0, 0]
    t = torch.arange(period - 1, tokens.shape[0] - 1)
    return float(-logp[t, tokens[t]].mean())


@pitfall(replaces="long_doc_loss", why="averages over every position, including the first period - 1 that have no source")
def loss_over_all_positions(tokens: torch.Tensor, window: int, period: int, vocab_size: int) -> float:
    q, k, v = copy_head(tokens, period - 1, vocab_size)
    logp = readout(sliding_window_attention(q, k, v, window))[0, 0]
    t = torch.arange(0, tokens.shape[0] - 1)
    return float(-logp[t, tokens[t + 1]].mean())
