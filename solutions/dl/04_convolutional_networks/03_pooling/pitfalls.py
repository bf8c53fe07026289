"""Plausible wrong pooling implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pooling import Pair, _counts, _geometry, _windows


def _max(x: np.ndarray, kernel_size: Pair, stride: Pair | None, padding: Pair, *, last: bool = False,
         pad_value: float = -np.inf, window_index: bool = False) -> tuple[np.ndarray, np.ndarray]:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x.shape, kernel_size, stride, padding)
    W = x.shape[3]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
    win = _windows(xp, kh, kw, sh, sw, oh, ow)
    arg = (kh * kw - 1 - win[..., ::-1].argmax(axis=-1)) if last else win.argmax(axis=-1)
    y = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
    if window_index:
        return y.astype(x.dtype), arg.astype(np.int64)
    rows = np.arange(oh)[:, None] * sh + arg // kw - ph
    cols = np.arange(ow)[None, :] * sw + arg % kw - pw
    return y.astype(x.dtype), (rows * W + cols).astype(np.int64)


@pitfall(replaces="maxpool2d", why="ties go to the last maximum (>=), torch keeps the first")
def last_max_wins(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
                  padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    return _max(x, kernel_size, stride, padding, last=True)


@pitfall(replaces="maxpool2d", why="pads with zeros: an all-negative window at the border returns 0")
def zero_padding(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
                 padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    return _max(x, kernel_size, stride, padding, pad_value=0.0)


@pitfall(replaces="maxpool2d", why="returns the index inside the window (0..kh·kw−1) instead of the flat input index")
def window_indices(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
                   padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    return _max(x, kernel_size, stride, padding, window_index=True)


@pitfall(replaces="maxpool2d", why="stride=None taken as stride 1 instead of the kernel size")
def default_stride_one(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
                       padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    return _max(x, kernel_size, 1 if stride is None else stride, padding)


@pitfall(replaces="maxpool2d_backward", why="assigns dy at the index (dx[idx] = dy): a max shared by overlapping windows keeps only one gradient")
def max_backward_overwrites(dy: np.ndarray, indices: np.ndarray, x_shape: tuple[int, int, int, int]) -> np.ndarray:
    N, C, H, W = x_shape
    dx = np.zeros((N * C, H * W), dtype=dy.dtype)
    rows = np.repeat(np.arange(N * C), indices[0, 0].size)
    dx[rows, indices.reshape(-1)] = dy.reshape(-1)
    return dx.reshape(x_shape)


@pitfall(replaces="avgpool2d", why="ignores count_include_pad: always divides by kh·kw")
def always_include_pad(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None, padding: Pair = 0,
                       count_include_pad: bool = True) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x.shape, kernel_size, stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    return (_windows(xp, kh, kw, sh, sw, oh, ow).sum(axis=-1) / (kh * kw)).astype(x.dtype)


@pitfall(replaces="avgpool2d_backward", why="passes dy unchanged to every element of the window (forgets the 1/count)")
def avg_backward_no_division(dy: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair,
                             stride: Pair | None = None, padding: Pair = 0, count_include_pad: bool = True) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x_shape, kernel_size, stride, padding)
    N, C, H, W = x_shape
    dxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=dy.dtype)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i: i + sh * (oh - 1) + 1: sh, j: j + sw * (ow - 1) + 1: sw] += dy
    return dxp[:, :, ph: ph + H, pw: pw + W].copy()


@pitfall(replaces="avgpool2d_backward", why="always divides by kh·kw in the backward pass, whatever count_include_pad says")
def avg_backward_fixed_count(dy: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair,
                             stride: Pair | None = None, padding: Pair = 0, count_include_pad: bool = True) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x_shape, kernel_size, stride, padding)
    N, C, H, W = x_shape
    g = dy / _counts(x_shape, kh, kw, sh, sw, ph, pw, oh, ow, True)
    dxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i: i + sh * (oh - 1) + 1: sh, j: j + sw * (ow - 1) + 1: sw] += g
    return dxp[:, :, ph: ph + H, pw: pw + W].astype(dy.dtype)
