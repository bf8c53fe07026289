"""Reference solution for nlp-02-1."""
from __future__ import annotations

import torch


def sinusoidal_positions(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError(f"need positive seq_len and even d_model, got {seq_len=}, {d_model=}")
    pos = torch.arange(seq_len, dtype=torch.float64)[:, None]
    freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    angles = pos * freq
    pe = torch.empty(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)
    return pe.float()
