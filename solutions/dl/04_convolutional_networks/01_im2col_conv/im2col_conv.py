"""Reference solution for dl-04-1."""
from __future__ import annotations

import numpy as np

Pair = int | tuple[int, int]


def pair(v: Pair) -> tuple[int, int]:
    """Given: 3 -> (3, 3); (1, 2) -> (1, 2)."""
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _out(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def im2col(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x.shape
    oh, ow = _out(H, kh, sh, ph, dh), _out(W, kw, sw, pw, dw)
    if oh < 1 or ow < 1:
        raise ValueError(f"empty output ({oh}, {ow})")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((N, C, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw]
    return cols.reshape(N, C * kh * kw, oh * ow)


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1, padding: Pair = 0,
           dilation: Pair = 1, groups: int = 1) -> np.ndarray:
    N, C, H, W = x.shape
    Co, Cg, kh, kw = weight.shape
    if C % groups or Co % groups or Cg != C // groups:
        raise ValueError(f"channels {C} -> {Co} with weight {weight.shape} do not fit groups={groups}")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    oh, ow = _out(H, kh, sh, ph, dh), _out(W, kw, sw, pw, dw)
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, oh * ow)
    w = weight.reshape(groups, Co // groups, Cg * kh * kw)
    out = np.einsum("gok,ngkl->ngol", w, cols).reshape(N, Co, oh, ow)
    if bias is not None:
        out = out + bias.reshape(1, Co, 1, 1)
    return out.astype(x.dtype, copy=False)
