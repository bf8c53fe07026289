"""sys-04-2: INT4 group-wise weight quantization, and its error against the group size.
Edit this file; `grader check sys-04-2` tests it."""
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
    """4-bit codes for each group of group_size consecutive columns of each row, computed in float64
    with np.round (halves to even):
      symmetric:  scale = max|x| / 7, zero = 0, q = clip(round(x / scale), -8, 7);
      asymmetric: lo = min(min x, 0), hi = max(max x, 0), scale = (hi - lo) / 15,
                  zero = round(-lo / scale), q = clip(round(x / scale) + zero, 0, 15).
    Where scale is 0 (an all-zero group) divide by 1 instead: no 0 / 0.
    w is not modified.

    Shapes:
        w: (rows, cols), cols a multiple of group_size
        returns q (rows, cols) int8, scale (rows, cols / group_size) float64, zero (rows, cols / group_size) int8

    Raises:
        ValueError: (through groups_of) if w is not 2-D, group_size < 1 or it does not divide cols.
    """
    raise NotImplementedError("quantize_int4: one scale (and zero point) per group")


def dequantize_int4(q: np.ndarray, scale: np.ndarray, zero: np.ndarray, group_size: int) -> np.ndarray:
    """(q - zero) * scale of each code's group, float64. Inputs are not modified.

    Shapes:
        q: (rows, cols) int8; scale, zero: (rows, cols / group_size); returns (rows, cols) float64
    """
    raise NotImplementedError("dequantize_int4")


def error_vs_group_size(w: np.ndarray, group_sizes: list[int], symmetric: bool = True) -> np.ndarray:
    """For each group size, the relative Frobenius error ||dequantize(quantize(w)) - w|| / ||w|| (in
    float64). w is not modified.

    Shapes:
        returns: (len(group_sizes),) float64

    Raises:
        ValueError: if w is all zeros (the relative error is undefined).
    """
    raise NotImplementedError("error_vs_group_size")


def bits_per_weight(group_size: int, symmetric: bool = True) -> float:
    """Storage per weight: 4 bits of code, plus a 16-bit (fp16) scale per group, plus (asymmetric)
    a 4-bit zero point per group: 4 + 16 / group_size, or 4 + 20 / group_size.

    Raises:
        ValueError: if group_size < 1.
    """
    raise NotImplementedError("bits_per_weight")
