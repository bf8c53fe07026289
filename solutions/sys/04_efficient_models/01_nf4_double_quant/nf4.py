"""Reference solution for sys-04-1."""
from __future__ import annotations

import numpy as np
from scipy.stats import norm


def nf4_levels(offset: float = 0.9677083) -> np.ndarray:
    if not 0.5 < offset < 1.0:
        raise ValueError(f"offset must be in (0.5, 1), got {offset}")
    positive = norm.ppf(np.linspace(offset, 0.5, 9)[:-1])
    negative = -norm.ppf(np.linspace(offset, 0.5, 8)[:-1])
    levels = np.sort(np.concatenate([positive, [0.0], negative]))
    return levels / levels.max()


def blocks_of(x: np.ndarray, block_size: int) -> np.ndarray:
    """Given: x viewed as (n_blocks, block_size) rows. ValueError unless x is 1-D, block_size >= 1 and
    block_size divides len(x)."""
    if x.ndim != 1 or block_size < 1 or x.size % block_size:
        raise ValueError(f"need a 1-D array whose length is a multiple of block_size >= 1, got {x.shape}, {block_size=}")
    return x.reshape(-1, block_size)


def quantize_nf4(w: np.ndarray, block_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    blocks = blocks_of(w, block_size).astype(np.float64)
    absmax = np.abs(blocks).max(axis=1)
    scale = np.where(absmax > 0, absmax, 1.0)
    normed = blocks / scale[:, None]
    levels = nf4_levels()
    codes = np.abs(normed[..., None] - levels).argmin(axis=-1)
    return codes.reshape(-1).astype(np.uint8), absmax.astype(np.float32)


def dequantize_nf4(codes: np.ndarray, absmax: np.ndarray, block_size: int = 64) -> np.ndarray:
    levels = nf4_levels()
    blocks = blocks_of(codes, block_size)
    if blocks.shape[0] != absmax.shape[0]:
        raise ValueError(f"{blocks.shape[0]} blocks of codes but {absmax.shape[0]} scales")
    return (levels[blocks] * absmax.astype(np.float64)[:, None]).reshape(-1).astype(np.float32)


def double_quantize(absmax: np.ndarray, block_size: int = 256) -> tuple[np.ndarray, np.ndarray, float]:
    c = absmax.astype(np.float64)
    mean = float(c.mean()) if c.size else 0.0
    blocks = blocks_of(c - mean, block_size)
    scale = np.abs(blocks).max(axis=1)
    safe = np.where(scale > 0, scale, 1.0)
    q = np.round(blocks / safe[:, None] * 127).astype(np.int8)
    return q.reshape(-1), scale.astype(np.float32), mean


def double_dequantize(q: np.ndarray, scales: np.ndarray, mean: float, block_size: int = 256) -> np.ndarray:
    blocks = blocks_of(q, block_size).astype(np.float64)
    return (blocks / 127 * scales.astype(np.float64)[:, None] + mean).reshape(-1).astype(np.float32)


def bits_per_parameter(block_size: int = 64, dq_block_size: int | None = 256) -> float:
    if block_size < 1 or (dq_block_size is not None and dq_block_size < 1):
        raise ValueError("block sizes must be >= 1")
    if dq_block_size is None:
        return 4 + 32 / block_size
    return 4 + 8 / block_size + 32 / (block_size * dq_block_size)
