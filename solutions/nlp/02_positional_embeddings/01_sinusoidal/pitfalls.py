"""Plausible wrong versions of sinusoidal_positions that the tests must reject."""
from __future__ import annotations

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="sinusoidal_positions", why="cosine in the even channels and sine in the odd ones")
def swapped_sin_cos(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError("bad sizes")
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.empty(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.cos(angles), torch.sin(angles)
    return pe.float()


@pitfall(replaces="sinusoidal_positions", why="exponent i/d_model instead of 2i/d_model: frequencies decay half as fast")
def exponent_off_by_two(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError("bad sizes")
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model // 2, dtype=torch.float64) / d_model)
    pe = torch.empty(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe.float()


@pitfall(replaces="sinusoidal_positions", why="all sines then all cosines (concatenated, not interleaved)")
def concatenated(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError("bad sizes")
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1).float()


@pitfall(replaces="sinusoidal_positions", why="accepts an odd d_model and silently drops a channel")
def no_validation(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.zeros(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)[:, : d_model // 2]
    return pe.float()


@pitfall(replaces="sinusoidal_positions", why="checks only that d_model is even: seq_len = 0 or d_model = 0 give an empty table")
def checks_parity_only(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    if d_model % 2:
        raise ValueError("odd d_model")
    angles = torch.arange(max(seq_len, 0), dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, max(d_model, 0), 2, dtype=torch.float64) / max(d_model, 1))
    pe = torch.empty(max(seq_len, 0), max(d_model, 0), dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe.float()
