"""Plausible wrong versions of NF4 and double quantization that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import norm

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from nf4 import blocks_of, nf4_levels


@pitfall(replaces="nf4_levels", why="symmetric halves (8 and 8 quantiles): no exact zero level")
def symmetric_levels(offset: float = 0.9677083) -> np.ndarray:
    if not 0.5 < offset < 1.0:
        raise ValueError("bad offset")
    pos = norm.ppf(np.linspace(offset, 0.5, 9)[:-1])
    v = np.sort(np.concatenate([pos, -pos]))
    return v / v.max()


@pitfall(replaces="nf4_levels", why="forgets to divide by the largest quantile: levels run to +-1.85")
def unnormalised_levels(offset: float = 0.9677083) -> np.ndarray:
    if not 0.5 < offset < 1.0:
        raise ValueError("bad offset")
    pos = norm.ppf(np.linspace(offset, 0.5, 9)[:-1])
    neg = -norm.ppf(np.linspace(offset, 0.5, 8)[:-1])
    return np.sort(np.concatenate([pos, [0.0], neg]))


@pitfall(replaces="quantize_nf4", why="scales each block by its standard deviation instead of its absmax")
def std_scale(w: np.ndarray, block_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    blocks = blocks_of(w, block_size).astype(np.float64)
    s = blocks.std(axis=1)
    normed = blocks / np.where(s > 0, s, 1.0)[:, None]
    codes = np.abs(normed[..., None] - nf4_levels()).argmin(-1)
    return codes.reshape(-1).astype(np.uint8), s.astype(np.float32)


@pitfall(replaces="quantize_nf4", why="rounds w / absmax onto 16 evenly spaced levels (int4) instead of the NF4 levels")
def uniform_codes(w: np.ndarray, block_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    blocks = blocks_of(w, block_size).astype(np.float64)
    absmax = np.abs(blocks).max(axis=1)
    normed = blocks / np.where(absmax > 0, absmax, 1.0)[:, None]
    codes = np.clip(np.round((normed + 1) / 2 * 15), 0, 15)
    return codes.reshape(-1).astype(np.uint8), absmax.astype(np.float32)


@pitfall(replaces="quantize_nf4", why="divides by a zero absmax: an all-zero block turns into NaN codes")
def unguarded_zero_block(w: np.ndarray, block_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    blocks = blocks_of(w, block_size).astype(np.float64)
    absmax = np.abs(blocks).max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        normed = blocks / absmax[:, None]
    codes = np.nan_to_num(np.abs(normed[..., None] - nf4_levels()), nan=1.0).argmin(-1)
    return codes.reshape(-1).astype(np.uint8), absmax.astype(np.float32)


@pitfall(replaces="double_quantize", why="does not subtract the mean: the all-positive constants use half the int8 range")
def no_centering(absmax: np.ndarray, block_size: int = 256) -> tuple[np.ndarray, np.ndarray, float]:
    blocks = blocks_of(absmax.astype(np.float64), block_size)
    s = np.abs(blocks).max(axis=1)
    q = np.round(blocks / np.where(s > 0, s, 1.0)[:, None] * 127).astype(np.int8)
    return q.reshape(-1), s.astype(np.float32), 0.0


@pitfall(replaces="bits_per_parameter", why="forgets the second-level float32 constants: 4.125 instead of 4.127")
def forgets_second_level(block_size: int = 64, dq_block_size: int | None = 256) -> float:
    if block_size < 1 or (dq_block_size is not None and dq_block_size < 1):
        raise ValueError("bad block sizes")
    return 4 + (32 if dq_block_size is None else 8) / block_size
