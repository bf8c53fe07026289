"""Reference solution for dl-04-2."""
from __future__ import annotations

import numpy as np

Pair = int | tuple[int, int]


def pair(v: Pair) -> tuple[int, int]:
    """Given: 3 -> (3, 3); (1, 2) -> (1, 2)."""
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def output_size(size: int, k: int, stride: int, padding: int, dilation: int) -> int:
    """Given: floor((size + 2·padding − dilation·(k − 1) − 1) / stride) + 1."""
    return (size + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def im2col(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """Given (kata dl-04-1): F.unfold. (N, C, H, W) -> (N, C·kh·kw, out_h·out_w), rows ordered (c, i, j)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x.shape
    oh, ow = output_size(H, kh, sh, ph, dh), output_size(W, kw, sw, pw, dw)
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
    """Given (kata dl-04-1): F.conv2d via im2col. weight: (O, C / groups, kh, kw)."""
    N, C, H, W = x.shape
    Co, Cg, kh, kw = weight.shape
    if C % groups or Co % groups or Cg != C // groups:
        raise ValueError(f"channels {C} -> {Co} with weight {weight.shape} do not fit groups={groups}")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    oh, ow = output_size(H, kh, sh, ph, dh), output_size(W, kw, sw, pw, dw)
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, oh * ow)
    out = np.einsum("gok,ngkl->ngol", weight.reshape(groups, Co // groups, Cg * kh * kw), cols).reshape(N, Co, oh, ow)
    if bias is not None:
        out = out + bias.reshape(1, Co, 1, 1)
    return out.astype(x.dtype, copy=False)


def col2im(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair, stride: Pair = 1,
           padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x_shape
    oh, ow = output_size(H, kh, sh, ph, dh), output_size(W, kw, sw, pw, dw)
    c = cols.reshape(N, C, kh, kw, oh, ow)
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            xp[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw] += c[:, :, i, j]
    return xp[:, :, ph: ph + H, pw: pw + W].copy()


def conv2d_backward(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
                    dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    N, C, H, W = x.shape
    Co, Cg, kh, kw = weight.shape
    L = dy.shape[2] * dy.shape[3]
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, L)
    dyg = dy.reshape(N, groups, Co // groups, L)
    dweight = np.einsum("ngol,ngkl->gok", dyg, cols).reshape(weight.shape)
    dcols = np.einsum("gok,ngol->ngkl", weight.reshape(groups, Co // groups, Cg * kh * kw), dyg)
    dx = col2im(dcols.reshape(N, C * kh * kw, L), (N, C, H, W), (kh, kw), stride, padding, dilation)
    dbias = dy.sum(axis=(0, 2, 3))
    return dx.astype(dy.dtype, copy=False), dweight.astype(dy.dtype, copy=False), dbias.astype(dy.dtype, copy=False)
