"""dl-04-3: 2-D max and average pooling, forward and backward. Edit this file; `grader check dl-04-3` tests it.

kernel_size, stride and padding are an int or an (h, w) pair; stride=None means stride = kernel_size.
Output size per direction: floor((size + 2·padding − k) / stride) + 1. Every function works per
(image, channel) on x of shape (N, C, H, W), returns x's dtype and leaves its inputs unchanged.
"""
from __future__ import annotations

import numpy as np

Pair = int | tuple[int, int]


def pair(v: Pair) -> tuple[int, int]:
    """Given: 3 -> (3, 3); (1, 2) -> (1, 2)."""
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def maxpool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
              padding: Pair = 0) -> tuple[np.ndarray, np.ndarray]:
    """Max over each window; padding counts as −∞ (never the max). Also returns where each max came
    from, as torch's return_indices: the flat index h·W + w into the (unpadded) H×W input plane.
    Ties: the first maximum in row-major order within the window wins.

    Shapes:
        x: (N, C, H, W) -> y: (N, C, out_h, out_w), indices: (N, C, out_h, out_w) int64

    Raises:
        ValueError: if padding > kernel_size / 2 in a direction, or the output would be empty.
    """
    raise NotImplementedError("maxpool2d: windows, max, first argmax, flat input index")


def maxpool2d_backward(dy: np.ndarray, indices: np.ndarray, x_shape: tuple[int, int, int, int]) -> np.ndarray:
    """dx: each dy entry goes to the input element its max came from; an element that is the max of
    several (overlapping) windows collects all their gradients.

    Shapes:
        dy, indices: (N, C, out_h, out_w) -> dx: x_shape, dy's dtype
    """
    raise NotImplementedError("maxpool2d_backward: scatter-add dy at the indices")


def avgpool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None, padding: Pair = 0,
              count_include_pad: bool = True) -> np.ndarray:
    """Mean over each window. Padding is zeros; count_include_pad=True divides by kh·kw always,
    False divides by the number of real (non-padding) elements in the window.

    Shapes:
        x: (N, C, H, W) -> (N, C, out_h, out_w)

    Raises:
        ValueError: if padding > kernel_size / 2 in a direction, or the output would be empty.
    """
    raise NotImplementedError("avgpool2d: window sums divided by the right count")


def avgpool2d_backward(dy: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair,
                       stride: Pair | None = None, padding: Pair = 0, count_include_pad: bool = True) -> np.ndarray:
    """dx for avgpool2d with the same arguments: each window spreads dy / count over its real elements.

    Shapes:
        dy: (N, C, out_h, out_w) -> dx: x_shape, dy's dtype
    """
    raise NotImplementedError("avgpool2d_backward: spread each dy over its window, divided by the count")
