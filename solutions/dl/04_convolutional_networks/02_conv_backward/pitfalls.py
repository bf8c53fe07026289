"""Plausible wrong convolution backward passes that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from conv_backward import Pair, col2im, im2col, output_size, pair


@pitfall(replaces="col2im", why="assigns (=) instead of adding (+=): overlapping windows overwrite each other")
def overwrite(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair, stride: Pair = 1,
              padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x_shape
    oh, ow = output_size(H, kh, sh, ph, dh), output_size(W, kw, sw, pw, dw)
    c = cols.reshape(N, C, kh, kw, oh, ow)
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            xp[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw] = c[:, :, i, j]
    return xp[:, :, ph: ph + H, pw: pw + W].copy()


@pitfall(replaces="col2im", why="crops the padded image at [0:H, 0:W] instead of [p:p+H]: shifted by the padding")
def crop_from_corner(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair, stride: Pair = 1,
                     padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x_shape
    oh, ow = output_size(H, kh, sh, ph, dh), output_size(W, kw, sw, pw, dw)
    c = cols.reshape(N, C, kh, kw, oh, ow)
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            xp[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw] += c[:, :, i, j]
    return xp[:, :, :H, :W].copy()


@pitfall(replaces="conv2d_backward", why="dbias averaged over batch and positions instead of summed")
def mean_bias(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
              dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dx, dw, _ = _backward(dy, x, weight, stride, padding, dilation, groups)
    return dx, dw, dy.mean(axis=(0, 2, 3))


@pitfall(replaces="conv2d_backward", why="dweight from all input channels, ignoring groups (then the wrong block is kept)")
def ignores_groups(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
                   dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dx, dw, db = _backward(dy, x, weight, stride, padding, dilation, groups)
    if groups == 1:
        return dx, dw, db
    N, C = x.shape[:2]
    Co, Cg, kh, kw = weight.shape
    cols = im2col(x, (kh, kw), stride, padding, dilation)
    full = np.einsum("nol,nkl->ok", dy.reshape(N, Co, -1), cols).reshape(Co, C, kh, kw)
    return dx, full[:, :Cg].astype(dy.dtype), db


@pitfall(replaces="conv2d_backward", why="dcols = W · dy with the weight not transposed per group (reshaped as (C·k·k, O))")
def untransposed_weight(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
                        dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, dw, db = _backward(dy, x, weight, stride, padding, dilation, groups)
    N, C, H, W = x.shape
    Co, Cg, kh, kw = weight.shape
    L = dy.shape[2] * dy.shape[3]
    wt = weight.reshape(groups, Cg * kh * kw, Co // groups)  # a reshape is not a transpose
    dcols = np.einsum("gko,ngol->ngkl", wt, dy.reshape(N, groups, Co // groups, L))
    dx = col2im(dcols.reshape(N, C * kh * kw, L), x.shape, (kh, kw), stride, padding, dilation)
    return dx.astype(dy.dtype), dw, db


@pitfall(replaces="conv2d_backward", why="returns float64 gradients for float32 inputs")
def upcast(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
           dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dx, dw, db = _backward(dy, x, weight, stride, padding, dilation, groups)
    return dx.astype(np.float64), dw.astype(np.float64), db.astype(np.float64)


def _backward(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair, padding: Pair, dilation: Pair,
              groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    N, C, H, W = x.shape
    Co, Cg, kh, kw = weight.shape
    L = dy.shape[2] * dy.shape[3]
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, L)
    dyg = dy.reshape(N, groups, Co // groups, L)
    dw = np.einsum("ngol,ngkl->gok", dyg, cols).reshape(weight.shape)
    dcols = np.einsum("gok,ngol->ngkl", weight.reshape(groups, Co // groups, Cg * kh * kw), dyg)
    dx = col2im(dcols.reshape(N, C * kh * kw, L), (N, C, H, W), (kh, kw), stride, padding, dilation)
    return dx.astype(dy.dtype), dw.astype(dy.dtype), dy.sum(axis=(0, 2, 3)).astype(dy.dtype)
