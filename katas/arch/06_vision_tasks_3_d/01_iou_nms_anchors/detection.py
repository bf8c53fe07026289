"""arch-06-1: IoU, non-maximum suppression and anchors. Edit this file; `grader check arch-06-1` tests it."""
from __future__ import annotations

import torch


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pairwise intersection over union of two sets of (x1, y1, x2, y2) boxes.

    IoU[i, j] = area(a_i ∩ b_j) / area(a_i ∪ b_j), with areas in continuous coordinates (a box
    [0, 0, 2, 1] has area 2, no "+1 pixel"). Boxes of zero width or height are allowed; when the
    union of a pair has zero area its IoU is 0. The inputs are left unchanged.

    Shapes:
        a: (N, 4)     b: (M, 4)     returns: (N, M), the dtype of a

    Raises:
        ValueError: if a box has x2 < x1 or y2 < y1, or the last axis is not 4.
    """
    raise NotImplementedError("box_iou: pairwise intersection over union")


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy non-maximum suppression.

    Visit boxes by decreasing score (equal scores: the lower index first). Keep a box unless its IoU
    with a box already kept is strictly greater than iou_threshold. The inputs are left unchanged.

    Shapes:
        boxes: (N, 4)     scores: (N,)     returns: (K,) int64 indices of the kept boxes, in the order visited
    """
    raise NotImplementedError("nms: greedy suppression")


def anchor_grid(feature_h: int, feature_w: int, stride: float, sizes: list[float],
                aspect_ratios: list[float]) -> torch.Tensor:
    """The anchor boxes of a region-proposal network over a feature_h × feature_w feature map.

    Cell (i, j) is centred at ((j + 0.5) * stride, (i + 0.5) * stride) in image pixels. Each cell
    gets one anchor per (ratio, size) pair, ratio-major: for r in aspect_ratios, for s in sizes,
    an anchor of width s / sqrt(r) and height s * sqrt(r) (area s², height / width = r) centred on
    the cell. Rows are cell-major in row-major cell order (i, then j), so row
    (i * feature_w + j) * A + k is anchor k of cell (i, j), with A = len(sizes) * len(aspect_ratios).

    Shapes:
        returns: (feature_h * feature_w * A, 4) float32 boxes (x1, y1, x2, y2)

    Raises:
        ValueError: if feature_h, feature_w or stride is not positive, or sizes or aspect_ratios is
            empty or holds a value that is not positive.
    """
    raise NotImplementedError("anchor_grid: one anchor per (ratio, size) per cell")
