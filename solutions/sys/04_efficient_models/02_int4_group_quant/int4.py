"""Reference solution for sys-04-2."""
from __future__ import annotations

import numpy as np


def groups_of(w: np.ndarray, group_size: int) -> np.ndarray:
    """Given: w (rows, cols) viewed as (rows, cols / group_size, group_size): groups of consecutive
    input features (columns) within each row. ValueError unless w is 2-D, group_size >= 1 and
    group_size divides cols."""
    if w.ndim != 2 or group_size < 1 or w.shape[1] % group_size:
        raise ValueError(f"need a 2-D w whose column count is a multiple of group_size >= 1, got {w.shape}, {group_size=}")
    return w.reshape(w.shape[0], -1, group_size)


def quantize_int4(w: np.ndarray, group_size: int, symmetric: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = groups_of(w, group_size).astype(np.float64)
    if symmetric:
        scale = np.abs(g).max(axis=-1) / 7
        zero = np.zeros(scale.shape)
        lo, hi = -8, 7
    else:
        gmin, gmax = np.minimum(g.min(axis=-1), 0), np.maximum(g.max(axis=-1), 0)
        scale = (gmax - gmin) / 15
        safe = np.where(scale > 0, scale, 1.0)
        zero = np.round(-gmin / safe)
        lo, hi = 0, 15
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.round(g / safe[..., None]) + zero[..., None], lo, hi)
    return q.reshape(w.shape).astype(np.int8), scale, zero.astype(np.int8)


def dequantize_int4(q: np.ndarray, scale: np.ndarray, zero: np.ndarray, group_size: int) -> np.ndarray:
    g = groups_of(q, group_size).astype(np.float64)
    return ((g - zero[..., None]) * scale[..., None]).reshape(q.shape)


def error_vs_group_size(w: np.ndarray, group_sizes: list[int], symmetric: bool = True) -> np.ndarray:
    w64 = w.astype(np.float64)
    norm = np.linalg.norm(w64)
    if norm == 0:
        raise ValueError("w is all zeros: the relative error is undefined")
    errors = [np.linalg.norm(dequantize_int4(*quantize_int4(w, g, symmetric), g) - w64) / norm for g in group_sizes]
    return np.asarray(errors, dtype=np.float64)


def bits_per_weight(group_size: int, symmetric: bool = True) -> float:
    if group_size < 1:
        raise ValueError("group_size must be >= 1")
    return 4 + (16 if symmetric else 20) / group_size
