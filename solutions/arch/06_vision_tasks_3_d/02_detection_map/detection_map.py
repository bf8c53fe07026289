"""Reference solution for arch-06-2."""
from __future__ import annotations

import numpy as np

INTERPOLATIONS = ("none", "all", "voc11", "coco101")


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU of (N, 4) and (M, 4) boxes (x1, y1, x2, y2) -> (N, M); 0 where the union is empty."""
    a, b = np.asarray(a, dtype=np.float64).reshape(-1, 4), np.asarray(b, dtype=np.float64).reshape(-1, 4)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def match_detections(det_boxes: np.ndarray, det_scores: np.ndarray, gt_boxes: np.ndarray,
                     iou_threshold: float = 0.5) -> np.ndarray:
    order = np.argsort(-np.asarray(det_scores), kind="stable")
    iou = box_iou(det_boxes, gt_boxes)
    taken = np.full(iou.shape[1], False)
    is_tp = np.zeros(iou.shape[0], dtype=bool)
    for d in order:
        if taken.all():
            continue
        cand = np.where(taken, -1.0, iou[d])
        g = int(np.argmax(cand))
        if cand[g] >= iou_threshold:
            taken[g] = True
            is_tp[d] = True
    return is_tp


def average_precision(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    if n_gt <= 0:
        raise ValueError("average precision needs at least one ground-truth box")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}")
    order = np.argsort(-np.asarray(scores), kind="stable")
    tp = np.asarray(is_tp)[order]
    ctp = np.cumsum(tp)
    recall = ctp / n_gt
    precision = ctp / np.arange(1, len(tp) + 1)
    if interpolation == "none":
        return float(np.sum(np.diff(recall, prepend=0.0) * precision))
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    if interpolation == "all":
        return float(np.sum(np.diff(recall, prepend=0.0) * envelope))
    points = np.linspace(0.0, 1.0, 11 if interpolation == "voc11" else 101)
    idx = np.searchsorted(recall, points, side="left")
    return float(np.mean(np.concatenate([envelope, [0.0]])[idx]))   # past the last recall: precision 0


def mean_average_precision(detections: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                           ground_truths: list[tuple[np.ndarray, np.ndarray]], iou_threshold: float = 0.5,
                           interpolation: str = "all") -> float:
    classes = sorted({int(c) for _, labels in ground_truths for c in np.ravel(labels)})
    if not classes:
        raise ValueError("no ground-truth boxes")
    aps = []
    for c in classes:
        tps, scores, n_gt = [], [], 0
        for (d_boxes, d_scores, d_labels), (g_boxes, g_labels) in zip(detections, ground_truths, strict=True):
            dm, gm = np.asarray(d_labels) == c, np.asarray(g_labels) == c
            n_gt += int(gm.sum())
            s = np.asarray(d_scores)[dm]
            tps.append(match_detections(np.asarray(d_boxes)[dm], s,
                                        np.asarray(g_boxes)[gm], iou_threshold))
            scores.append(s)
        aps.append(average_precision(np.concatenate(tps), np.concatenate(scores), n_gt, interpolation))
    return float(np.mean(aps))
