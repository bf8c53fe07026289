"""dl-04-1: 2-D convolution by im2col in NumPy. Edit this file; `grader check dl-04-1` tests it.

stride, padding and dilation are an int (both directions) or a pair (height, width), as in torch.
Output size per direction: out = floor((size + 2·padding − dilation·(k − 1) − 1) / stride) + 1.
"""
from __future__ import annotations

import numpy as np

Pair = int | tuple[int, int]


def pair(v: Pair) -> tuple[int, int]:
    """Given: 3 -> (3, 3); (1, 2) -> (1, 2)."""
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def im2col(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """Every receptive field of x as a column, exactly like torch.nn.functional.unfold.

    cols[n, (c·kh + i)·kw + j, p·out_w + q] = x_padded[n, c, p·sh + i·dh, q·sw + j·dw]
    with zero padding of `padding` rows/columns on each side. x is not modified; cols has x's dtype.

    Shapes:
        x: (N, C, H, W) -> cols: (N, C·kh·kw, out_h·out_w)

    Raises:
        ValueError: if out_h or out_w would be < 1.
    """
    raise NotImplementedError("im2col: pad, then gather each (kh, kw) window with stride and dilation")


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1, padding: Pair = 0,
           dilation: Pair = 1, groups: int = 1) -> np.ndarray:
    """torch.nn.functional.conv2d (a cross-correlation) computed as im2col followed by a matrix product.

    With groups = g, the C input channels and the O output channels are split into g consecutive
    blocks; output block i sees only input block i. x and weight are not modified; the result has x's dtype.

    Shapes:
        x: (N, C, H, W); weight: (O, C / groups, kh, kw); bias: (O,) or None; all of one dtype
        returns: (N, O, out_h, out_w)

    Raises:
        ValueError: if C or O is not divisible by groups, weight.shape[1] != C / groups, or the output is empty.
    """
    raise NotImplementedError("conv2d: im2col, then (O, C·kh·kw) @ cols per group, then reshape")
