"""Reference solution for dl-04-3."""
from __future__ import annotations

import numpy as np

Pair = int | tuple[int, int]


def pair(v: Pair) -> tuple[int, int]:
    """Given: 3 -> (3, 3); (1, 2) -> (1, 2)."""
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _geometry(x_shape: tuple[int, ...], kernel_size: Pair, stride: Pair | None, padding: Pair) -> tuple:
    (kh, kw), (ph, pw) = pair(kernel_size), pair(padding)
    sh, sw = pair(kernel_size if stride is None else stride)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding must be at most half the kernel size")
    H, W = x_shape[2], x_shape[3]
    oh, ow = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    if oh < 1 or ow < 1:
        raise ValueError("empty output")
    return kh, kw, sh, sw, ph, pw, oh, ow


def _windows(xp: np.ndarray, kh: int, kw: int, sh: int, sw: int, oh: int, ow: int) -> np.ndarray:
    """(N, C, oh, ow, kh·kw) view-free copy of every window, taps in row-major order."""
    taps = [xp[:, :, i: i + sh * (oh - 1) + 1: sh, j: j + sw * (ow - 1) + 1: sw] for i in range(kh) for j in range(kw)]
    return np.stack(taps, axis=-1)


def maxpool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
              padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x.shape, kernel_size, stride, padding)
    N, C, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    win = _windows(xp, kh, kw, sh, sw, oh, ow)
    arg = win.argmax(axis=-1)  # first maximum wins
    y = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
    i, j = arg // kw, arg % kw
    rows = np.arange(oh)[:, None] * sh + i - ph
    cols = np.arange(ow)[None, :] * sw + j - pw
    return y.astype(x.dtype), (rows * W + cols).astype(np.int64)


def maxpool2d_backward(dy: np.ndarray, indices: np.ndarray, x_shape: tuple[int, int, int, int]) -> np.ndarray:
    N, C, H, W = x_shape
    dx = np.zeros((N * C, H * W), dtype=dy.dtype)
    rows = np.repeat(np.arange(N * C), indices[0, 0].size)
    np.add.at(dx, (rows, indices.reshape(-1)), dy.reshape(-1))
    return dx.reshape(x_shape)


def _counts(x_shape: tuple[int, ...], kh: int, kw: int, sh: int, sw: int, ph: int, pw: int, oh: int, ow: int,
            count_include_pad: bool) -> np.ndarray:
    if count_include_pad:
        return np.full((oh, ow), float(kh * kw))
    ones = np.pad(np.ones((1, 1, x_shape[2], x_shape[3])), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    return _windows(ones, kh, kw, sh, sw, oh, ow).sum(axis=-1)[0, 0]


def avgpool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None, padding: Pair = 0,
              count_include_pad: bool = True) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x.shape, kernel_size, stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    s = _windows(xp, kh, kw, sh, sw, oh, ow).sum(axis=-1)
    return (s / _counts(x.shape, kh, kw, sh, sw, ph, pw, oh, ow, count_include_pad)).astype(x.dtype)


def avgpool2d_backward(dy: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair,
                       stride: Pair | None = None, padding: Pair = 0, count_include_pad: bool = True) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, oh, ow = _geometry(x_shape, kernel_size, stride, padding)
    N, C, H, W = x_shape
    g = dy / _counts(x_shape, kh, kw, sh, sw, ph, pw, oh, ow, count_include_pad)
    dxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i: i + sh * (oh - 1) + 1: sh, j: j + sw * (ow - 1) + 1: sw] += g
    return dxp[:, :, ph: ph + H, pw: pw + W].astype(dy.dtype)
