"""Reference solution for arch-06-4."""
from __future__ import annotations

from collections import defaultdict

import numpy as np


def confusion_matrix(pred: np.ndarray, target: np.ndarray, num_classes: int,
                     ignore_index: int | None = None) -> np.ndarray:
    pred, target = np.asarray(pred), np.asarray(target)
    if pred.shape != target.shape:
        raise ValueError(f"pred {pred.shape} and target {target.shape} differ in shape")
    keep = target != ignore_index if ignore_index is not None else np.full(target.shape, True)
    p, t = pred[keep], target[keep]
    if p.size and (p.min() < 0 or p.max() >= num_classes or t.min() < 0 or t.max() >= num_classes):
        raise ValueError("a label is outside 0 .. num_classes-1")
    conf = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(conf, (t, p), 1)
    return conf


def per_class_iou(conf: np.ndarray) -> np.ndarray:
    tp = np.diag(conf)
    union = np.sum(conf, axis=0) + np.sum(conf, axis=1) - tp
    with np.errstate(invalid="ignore"):
        return tp / union   # 0 / 0 = NaN for a class that appears nowhere


def mean_iou(pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None) -> float:
    return float(np.nanmean(per_class_iou(confusion_matrix(pred, target, num_classes, ignore_index))))


def panoptic_quality(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                     gt_classes: dict[int, int]) -> tuple[float, float, float]:
    pred_ids, gt_ids = np.asarray(pred_ids), np.asarray(gt_ids)
    if pred_ids.shape != gt_ids.shape:
        raise ValueError("the two segment maps differ in shape")
    p_segs = [int(s) for s in np.unique(pred_ids) if s != 0]
    g_segs = [int(s) for s in np.unique(gt_ids) if s != 0]
    if any(s not in pred_classes for s in p_segs) or any(s not in gt_classes for s in g_segs):
        raise ValueError("a segment id in a map has no class")
    void = gt_ids == 0
    tp: dict[int, int] = defaultdict(int)
    fp: dict[int, int] = defaultdict(int)
    fn: dict[int, int] = defaultdict(int)
    iou_sum: dict[int, float] = defaultdict(float)
    matched_p, matched_g = set(), set()
    for p in p_segs:
        pm = pred_ids == p
        for g in g_segs:
            if pred_classes[p] != gt_classes[g]:
                continue
            gm = gt_ids == g
            inter = np.sum(pm & gm)
            iou = inter / (np.sum(pm) + np.sum(gm) - inter - np.sum(pm & void))
            if iou > 0.5:
                tp[gt_classes[g]] += 1
                iou_sum[gt_classes[g]] += iou
                matched_p.add(p)
                matched_g.add(g)
    for g in g_segs:
        if g not in matched_g:
            fn[gt_classes[g]] += 1
    for p in p_segs:
        pm = pred_ids == p
        if p not in matched_p and np.sum(pm & void) / np.sum(pm) <= 0.5:
            fp[pred_classes[p]] += 1
    classes = sorted(set(tp) | set(fp) | set(fn))
    if not classes:
        raise ValueError("no segments to score")
    rq = [tp[c] / (tp[c] + fp[c] / 2 + fn[c] / 2) for c in classes]
    sq = [iou_sum[c] / tp[c] if tp[c] else 0.0 for c in classes]
    pq = [iou_sum[c] / (tp[c] + fp[c] / 2 + fn[c] / 2) for c in classes]   # = SQ * RQ
    return float(np.mean(pq)), float(np.mean(sq)), float(np.mean(rq))
