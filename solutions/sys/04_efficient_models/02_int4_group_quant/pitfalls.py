"""Plausible wrong versions of INT4 group-wise quantization that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from int4 import dequantize_int4, groups_of, quantize_int4


@pitfall(replaces="quantize_int4", why="symmetric scale max|x| / 8: the largest weight is clipped to 7/8 of itself")
def scale_over_8(w: np.ndarray, group_size: int, symmetric: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = groups_of(w, group_size).astype(np.float64)
    if not symmetric:
        raise NotImplementedError
    scale = np.abs(g).max(-1) / 8
    q = np.clip(np.round(g / np.where(scale > 0, scale, 1.0)[..., None]), -8, 7)
    return q.reshape(w.shape).astype(np.int8), scale, np.zeros(scale.shape, np.int8)


@pitfall(replaces="quantize_int4", why="asymmetric range [min, max] without 0: a constant group gets scale 0 and comes back as 0")
def range_without_zero(w: np.ndarray, group_size: int, symmetric: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = groups_of(w, group_size).astype(np.float64)
    if symmetric:
        scale = np.abs(g).max(-1) / 7
        q = np.clip(np.round(g / np.where(scale > 0, scale, 1.0)[..., None]), -8, 7)
        return q.reshape(w.shape).astype(np.int8), scale, np.zeros(scale.shape, np.int8)
    lo, hi = g.min(-1), g.max(-1)
    scale = (hi - lo) / 15
    safe = np.where(scale > 0, scale, 1.0)
    zero = np.clip(np.round(-lo / safe), -128, 127)
    q = np.clip(np.round(g / safe[..., None]) + zero[..., None], 0, 15)
    return q.reshape(w.shape).astype(np.int8), scale, zero.astype(np.int8)


@pitfall(replaces="quantize_int4", why="rounds half away from zero (floor(x + 0.5)) instead of numpy's half to even")
def round_half_up(w: np.ndarray, group_size: int, symmetric: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = groups_of(w, group_size).astype(np.float64)
    if symmetric:
        scale, zero, lo, hi = np.abs(g).max(-1) / 7, np.zeros(g.shape[:2]), -8, 7
    else:
        a, b = np.minimum(g.min(-1), 0), np.maximum(g.max(-1), 0)
        scale, lo, hi = (b - a) / 15, 0, 15
        zero = np.floor(-a / np.where(scale > 0, scale, 1.0) + 0.5)
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.floor(g / safe[..., None] + 0.5) + zero[..., None], lo, hi)
    return q.reshape(w.shape).astype(np.int8), scale, zero.astype(np.int8)


@pitfall(replaces="quantize_int4", why="groups along the rows (output features) instead of the columns")
def groups_down_columns(w: np.ndarray, group_size: int, symmetric: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    groups_of(w, group_size)
    if w.shape[0] % group_size:
        raise ValueError("rows not divisible")
    t = w.T.copy()
    g = t.reshape(t.shape[0], -1, group_size).astype(np.float64)
    scale = np.abs(g).max(-1) / 7
    q = np.clip(np.round(g / np.where(scale > 0, scale, 1.0)[..., None]), -8, 7).reshape(t.shape).T
    return q.astype(np.int8), scale.reshape(w.shape[0], -1), np.zeros((w.shape[0], w.shape[1] // group_size), np.int8)


@pitfall(replaces="dequantize_int4", why="forgets to subtract the zero point")
def no_zero_subtraction(q: np.ndarray, scale: np.ndarray, zero: np.ndarray, group_size: int) -> np.ndarray:
    return (groups_of(q, group_size).astype(np.float64) * scale[..., None]).reshape(q.shape)


@pitfall(replaces="error_vs_group_size", why="mean squared error instead of the relative Frobenius error")
def mse(w: np.ndarray, group_sizes: list[int], symmetric: bool = True) -> np.ndarray:
    if not np.any(w):
        raise ValueError("all zeros")
    return np.array([np.mean((dequantize_int4(*quantize_int4(w, g, symmetric), g) - w) ** 2) for g in group_sizes])


@pitfall(replaces="bits_per_weight", why="forgets the asymmetric zero point's 4 bits")
def no_zero_point_bits(group_size: int, symmetric: bool = True) -> float:
    if group_size < 1:
        raise ValueError("bad group size")
    return 4 + 16 / group_size
