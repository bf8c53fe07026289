"""Plausible wrong im2col convolutions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from im2col_conv import Pair, _out, im2col, pair


def _cols(x: np.ndarray, kernel_size: Pair, stride: Pair, padding: Pair, dilation: Pair, *, order: str = "ckk",
          out_fn=None, pad_one_side: bool = False) -> np.ndarray:  # noqa: ANN001
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    N, C, H, W = x.shape
    f = out_fn or _out
    oh, ow = f(H, kh, sh, ph, dh), f(W, kw, sw, pw, dw)
    if oh < 1 or ow < 1:
        raise ValueError("empty")
    pads = ((0, 0), (0, 0), (ph, ph), (pw, pw)) if not pad_one_side else ((0, 0), (0, 0), (2 * ph, 0), (2 * pw, 0))
    xp = np.pad(x, pads)
    cols = np.zeros((N, C, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i * dh::sh, j * dw::sw][:, :, :oh, :ow]
            cols[:, :, i, j, :patch.shape[2], :patch.shape[3]] = patch
    if order == "kkc":
        cols = cols.transpose(0, 2, 3, 1, 4, 5)
    elif order == "cwk":
        cols = cols.transpose(0, 1, 3, 2, 4, 5)
    return cols.reshape(N, C * kh * kw, oh * ow)


@pitfall(replaces="im2col", why="rows ordered (kh, kw, C) instead of (C, kh, kw): mismatches the weight's flattening")
def channels_last_rows(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0,
                       dilation: Pair = 1) -> np.ndarray:
    return _cols(x, kernel_size, stride, padding, dilation, order="kkc")


@pitfall(replaces="im2col", why="rows ordered (C, kw, kh): kernel height and width swapped")
def kernel_axes_swapped(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0,
                        dilation: Pair = 1) -> np.ndarray:
    return _cols(x, kernel_size, stride, padding, dilation, order="cwk")


@pitfall(replaces="im2col", why="output size ignores dilation: floor((size + 2p − k) / s) + 1")
def size_without_dilation(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0,
                          dilation: Pair = 1) -> np.ndarray:
    return _cols(x, kernel_size, stride, padding, dilation, out_fn=lambda n, k, s, p, d: (n + 2 * p - k) // s + 1)


@pitfall(replaces="im2col", why="pads 2p on the top/left only instead of p on each side")
def one_sided_padding(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0,
                      dilation: Pair = 1) -> np.ndarray:
    return _cols(x, kernel_size, stride, padding, dilation, pad_one_side=True)


@pitfall(replaces="pair", why="a (h, w) pair collapses to its first entry for both directions")
def first_entry_only(v: Pair) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[0]))


@pitfall(replaces="conv2d", why="groups taken as interleaved channels (c::groups) instead of consecutive blocks")
def interleaved_groups(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1,
                       padding: Pair = 0, dilation: Pair = 1, groups: int = 1) -> np.ndarray:
    N, C = x.shape[:2]
    Co, Cg, kh, kw = weight.shape
    if C % groups or Co % groups or Cg != C // groups:
        raise ValueError("groups")
    outs = []
    for g in range(groups):
        cols = im2col(x[:, g::groups], (kh, kw), stride, padding, dilation)
        outs.append(np.einsum("ok,nkl->nol", weight[g * (Co // groups):(g + 1) * (Co // groups)].reshape(Co // groups, -1),
                              cols))
    out = np.concatenate(outs, axis=1)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    out = out.reshape(N, Co, _out(x.shape[2], kh, sh, ph, dh), _out(x.shape[3], kw, sw, pw, dw))
    return out + (0 if bias is None else bias.reshape(1, Co, 1, 1))


@pitfall(replaces="conv2d", why="flips the kernel (a true convolution): torch's conv2d is a cross-correlation")
def flipped_kernel(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1,
                   padding: Pair = 0, dilation: Pair = 1, groups: int = 1) -> np.ndarray:
    N, C = x.shape[:2]
    Co, Cg, kh, kw = weight.shape
    if C % groups or Co % groups or Cg != C // groups:
        raise ValueError("groups")
    w = weight[:, :, ::-1, ::-1]
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    oh, ow = _out(x.shape[2], kh, sh, ph, dh), _out(x.shape[3], kw, sw, pw, dw)
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, oh * ow)
    out = np.einsum("gok,ngkl->ngol", w.reshape(groups, Co // groups, -1), cols).reshape(N, Co, oh, ow)
    return (out + (0 if bias is None else bias.reshape(1, Co, 1, 1))).astype(x.dtype)


@pitfall(replaces="conv2d", why="accumulates into a float64 buffer: float32 inputs come back as float64")
def upcast(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1,
           padding: Pair = 0, dilation: Pair = 1, groups: int = 1) -> np.ndarray:
    N, C = x.shape[:2]
    Co, Cg, kh, kw = weight.shape
    if C % groups or Co % groups or Cg != C // groups:
        raise ValueError("groups")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    oh, ow = _out(x.shape[2], kh, sh, ph, dh), _out(x.shape[3], kw, sw, pw, dw)
    cols = im2col(x, (kh, kw), stride, padding, dilation).reshape(N, groups, Cg * kh * kw, oh * ow)
    out = np.zeros((N, groups, Co // groups, oh * ow))
    out += np.einsum("gok,ngkl->ngol", weight.reshape(groups, Co // groups, -1), cols)
    return out.reshape(N, Co, oh, ow) + (0 if bias is None else bias.reshape(1, Co, 1, 1))
