"""Plausible wrong IoU, NMS and anchor code that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from detection import box_iou


def _check(a: torch.Tensor, b: torch.Tensor) -> None:
    if a.shape[-1] != 4 or b.shape[-1] != 4:
        raise ValueError("need 4 coordinates")
    if bool((a[:, 2:] < a[:, :2]).any()) or bool((b[:, 2:] < b[:, :2]).any()):
        raise ValueError("inverted box")


@pitfall(replaces="box_iou", why="clamps the intersection area, not each side: boxes apart on both axes overlap")
def clamp_area_not_sides(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    _check(a, b)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    wh = torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])
    inter = (wh[..., 0] * wh[..., 1]).clamp(min=0)
    union = area_a[:, None] + area_b[None, :] - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(union))


@pitfall(replaces="box_iou", why="the legacy VOC '+1 pixel' convention: width = x2 - x1 + 1")
def plus_one_pixel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    _check(a, b)
    area_a = (a[:, 2] - a[:, 0] + 1) * (a[:, 3] - a[:, 1] + 1)
    area_b = (b[:, 2] - b[:, 0] + 1) * (b[:, 3] - b[:, 1] + 1)
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2]) + 1).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


@pitfall(replaces="box_iou", why="divides by the sum of the areas, not the union (intersection counted twice)")
def sum_not_union(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    _check(a, b)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    total = area_a[:, None] + area_b[None, :]
    return torch.where(total > 0, inter / total.clamp(min=1e-12), torch.zeros_like(total))


@pitfall(replaces="box_iou", why="computes the IoU in float64 and returns float64 for float32 boxes")
def upcasts(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    _check(a, b)
    a, b = a.double(), b.double()
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(union))


@pitfall(replaces="nms", why="suppresses at IoU >= threshold instead of strictly above it")
def suppress_at_equality(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    order = torch.sort(scores, descending=True, stable=True).indices
    iou = box_iou(boxes, boxes)
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if not suppressed[i]:
            keep.append(i)
            suppressed |= iou[i] >= iou_threshold
            suppressed[i] = True
    return torch.tensor(keep, dtype=torch.int64)


@pitfall(replaces="nms", why="lets suppressed boxes suppress others too (every higher-scoring box counts)")
def suppressed_boxes_suppress(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    order = torch.sort(scores, descending=True, stable=True).indices.tolist()
    iou = box_iou(boxes, boxes)
    keep = [i for pos, i in enumerate(order) if all(iou[i, j] <= iou_threshold for j in order[:pos])]
    return torch.tensor(keep, dtype=torch.int64)


@pitfall(replaces="nms", why="visits boxes in index order, never sorting by score")
def unsorted(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    iou = box_iou(boxes, boxes)
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in range(len(boxes)):
        if not suppressed[i]:
            keep.append(i)
            suppressed |= iou[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


@pitfall(replaces="nms", why="breaks score ties by the higher index (argsort of the negated reversed order)")
def ties_last_index(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    n = len(boxes)
    rev = torch.sort(scores.flip(0), descending=True, stable=True).indices
    order = (n - 1 - rev).tolist()
    iou = box_iou(boxes, boxes)
    suppressed = torch.zeros(n, dtype=torch.bool)
    keep = []
    for i in order:
        if not suppressed[i]:
            keep.append(i)
            suppressed |= iou[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


def _validate(feature_h: int, feature_w: int, stride: float, sizes: list[float], aspect_ratios: list[float]) -> None:
    if feature_h <= 0 or feature_w <= 0 or stride <= 0 or not sizes or not aspect_ratios:
        raise ValueError("bad arguments")
    if min(sizes) <= 0 or min(aspect_ratios) <= 0:
        raise ValueError("bad arguments")


def _grid(feature_h: int, feature_w: int, stride: float, base: list[list[float]], offset: float = 0.5) -> torch.Tensor:
    cy = (torch.arange(feature_h, dtype=torch.float64) + offset) * stride
    cx = (torch.arange(feature_w, dtype=torch.float64) + offset) * stride
    yy, xx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([xx, yy, xx, yy], dim=-1).reshape(-1, 1, 4)
    return (centres + torch.tensor(base, dtype=torch.float64)[None]).reshape(-1, 4).float()


@pitfall(replaces="anchor_grid", why="takes the aspect ratio as width / height")
def ratio_is_w_over_h(feature_h: int, feature_w: int, stride: float, sizes: list[float],
                      aspect_ratios: list[float]) -> torch.Tensor:
    _validate(feature_h, feature_w, stride, sizes, aspect_ratios)
    base = [[-s * math.sqrt(r) / 2, -s / math.sqrt(r) / 2, s * math.sqrt(r) / 2, s / math.sqrt(r) / 2]
            for r in aspect_ratios for s in sizes]
    return _grid(feature_h, feature_w, stride, base)


@pitfall(replaces="anchor_grid", why="size-major order: for s in sizes, for r in aspect_ratios")
def size_major(feature_h: int, feature_w: int, stride: float, sizes: list[float],
               aspect_ratios: list[float]) -> torch.Tensor:
    _validate(feature_h, feature_w, stride, sizes, aspect_ratios)
    base = [[-s / math.sqrt(r) / 2, -s * math.sqrt(r) / 2, s / math.sqrt(r) / 2, s * math.sqrt(r) / 2]
            for s in sizes for r in aspect_ratios]
    return _grid(feature_h, feature_w, stride, base)


@pitfall(replaces="anchor_grid", why="centres anchors on the cell's top-left corner (j * stride), not its centre")
def top_left_centres(feature_h: int, feature_w: int, stride: float, sizes: list[float],
                     aspect_ratios: list[float]) -> torch.Tensor:
    _validate(feature_h, feature_w, stride, sizes, aspect_ratios)
    base = [[-s / math.sqrt(r) / 2, -s * math.sqrt(r) / 2, s / math.sqrt(r) / 2, s * math.sqrt(r) / 2]
            for r in aspect_ratios for s in sizes]
    return _grid(feature_h, feature_w, stride, base, offset=0.0)


@pitfall(replaces="anchor_grid", why="scales width and height by r instead of sqrt(r): the area is no longer s²")
def ratio_without_sqrt(feature_h: int, feature_w: int, stride: float, sizes: list[float],
                       aspect_ratios: list[float]) -> torch.Tensor:
    _validate(feature_h, feature_w, stride, sizes, aspect_ratios)
    base = [[-s / r / 2, -s * r / 2, s / r / 2, s * r / 2] for r in aspect_ratios for s in sizes]
    return _grid(feature_h, feature_w, stride, base)
