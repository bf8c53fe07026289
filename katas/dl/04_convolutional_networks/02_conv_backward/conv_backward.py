"""dl-04-2: the backward pass of a 2-D convolution. Edit this file; `grader check dl-04-2` tests it.

im2col and conv2d (the forward pass, kata dl-04-1) are given. stride, padding and dilation are an int or
an (h, w) pair.
"""
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
    """The adjoint of im2col (torch.nn.functional.fold): scatter every column back to the pixels it was
    copied from, **adding** where receptive fields overlap, and drop the padding.

    Shapes:
        cols: (N, C·kh·kw, out_h·out_w) -> (N, C, H, W) = x_shape, cols' dtype
    """
    raise NotImplementedError("col2im: add each kernel tap's slice back into a padded zero image, then crop")


def conv2d_backward(dy: np.ndarray, x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
                    dilation: Pair = 1, groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a scalar loss through y = conv2d(x, weight, bias, stride, padding, dilation, groups),
    given dy = ∂L/∂y: returns (dx, dweight, dbias), each with dy's dtype. No input is modified.

    Shapes:
        dy: (N, O, out_h, out_w); x: (N, C, H, W); weight: (O, C / groups, kh, kw); all of one dtype
        returns: dx (N, C, H, W), dweight (O, C / groups, kh, kw), dbias (O,)
    """
    raise NotImplementedError("conv2d_backward: dweight = dy·colsᵀ, dcols = weightᵀ·dy then col2im, dbias = Σ dy")
