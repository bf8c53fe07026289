"""Reference solution for arch-06-1."""
from __future__ import annotations

import math

import torch


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    if a.shape[-1] != 4 or b.shape[-1] != 4:
        raise ValueError("boxes must have 4 coordinates (x1, y1, x2, y2)")
    if bool((a[:, 2:] < a[:, :2]).any()) or bool((b[:, 2:] < b[:, :2]).any()):
        raise ValueError("boxes need x2 >= x1 and y2 >= y1")
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return (inter / union).nan_to_num(nan=0.0)   # union = 0 only for two degenerate boxes: 0 / 0


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    order = torch.sort(scores, descending=True, stable=True).indices
    iou = box_iou(boxes, boxes)
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


def anchor_grid(feature_h: int, feature_w: int, stride: float, sizes: list[float],
                aspect_ratios: list[float]) -> torch.Tensor:
    if feature_h <= 0 or feature_w <= 0 or stride <= 0:
        raise ValueError("feature map sizes and stride must be positive")
    if not sizes or not aspect_ratios or min(sizes) <= 0 or min(aspect_ratios) <= 0:
        raise ValueError("need at least one positive size and one positive aspect ratio")
    half = []
    for r in aspect_ratios:
        for s in sizes:
            w, h = s / math.sqrt(r), s * math.sqrt(r)
            half.append([-w / 2, -h / 2, w / 2, h / 2])
    base = torch.tensor(half, dtype=torch.float64)
    cy = (torch.arange(feature_h, dtype=torch.float64) + 0.5) * stride
    cx = (torch.arange(feature_w, dtype=torch.float64) + 0.5) * stride
    yy, xx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([xx, yy, xx, yy], dim=-1).reshape(-1, 1, 4)
    return (centres + base[None]).reshape(-1, 4).float()
