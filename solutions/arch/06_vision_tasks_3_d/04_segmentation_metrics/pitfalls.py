"""Plausible wrong segmentation metrics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from seg_metrics import confusion_matrix, per_class_iou


@pitfall(replaces="confusion_matrix", why="rows are the prediction and columns the target (transposed)")
def transposed(pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None) -> np.ndarray:
    pred, target = np.asarray(pred), np.asarray(target)
    if pred.shape != target.shape:
        raise ValueError("shapes")
    keep = target != ignore_index if ignore_index is not None else np.full(target.shape, True)
    p, t = pred[keep], target[keep]
    if p.size and (min(p.min(), t.min()) < 0 or max(p.max(), t.max()) >= num_classes):
        raise ValueError("labels")
    return np.bincount(p * num_classes + t, minlength=num_classes ** 2).reshape(num_classes, num_classes)


@pitfall(replaces="confusion_matrix", why="validates labels before dropping ignored pixels: rejects junk predicted under them")
def validates_before_ignoring(pred: np.ndarray, target: np.ndarray, num_classes: int,
                              ignore_index: int | None = None) -> np.ndarray:
    pred = np.asarray(pred)
    if pred.size and (pred.min() < 0 or pred.max() >= num_classes):
        raise ValueError("labels")
    return confusion_matrix(pred, target, num_classes, ignore_index)


@pitfall(replaces="per_class_iou", why="divides by the true-class pixel count (that is recall, not IoU)")
def recall_not_iou(conf: np.ndarray) -> np.ndarray:
    conf = np.asarray(conf, dtype=np.float64)
    union = conf.sum(axis=0) + conf.sum(axis=1) - np.diag(conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, np.diag(conf) / conf.sum(axis=1), np.nan)


@pitfall(replaces="per_class_iou", why="absent classes get IoU 0 instead of NaN")
def absent_is_zero(conf: np.ndarray) -> np.ndarray:
    conf = np.asarray(conf, dtype=np.float64)
    union = conf.sum(axis=0) + conf.sum(axis=1) - np.diag(conf)
    return np.diag(conf) / np.maximum(union, 1)


@pitfall(replaces="mean_iou", why="averages over all num_classes, counting absent classes as 0")
def mean_over_all_classes(pred: np.ndarray, target: np.ndarray, num_classes: int,
                          ignore_index: int | None = None) -> float:
    return float(np.mean(np.nan_to_num(per_class_iou(confusion_matrix(pred, target, num_classes, ignore_index)))))


@pitfall(replaces="mean_iou", why="pixel accuracy instead of mIoU")
def pixel_accuracy(pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None) -> float:
    conf = confusion_matrix(pred, target, num_classes, ignore_index)
    return float(np.trace(conf) / conf.sum())


def _pq(pred_ids: np.ndarray, pred_classes: dict, gt_ids: np.ndarray, gt_classes: dict, *, strict: bool = True,
        void_union: bool = True, void_fp: bool = True) -> tuple[float, float, float]:
    pred_ids, gt_ids = np.asarray(pred_ids), np.asarray(gt_ids)
    if pred_ids.shape != gt_ids.shape:
        raise ValueError("shapes")
    p_segs = [int(s) for s in np.unique(pred_ids) if s]
    g_segs = [int(s) for s in np.unique(gt_ids) if s]
    if any(s not in pred_classes for s in p_segs) or any(s not in gt_classes for s in g_segs):
        raise ValueError("ids")
    void = gt_ids == 0
    stats: dict = {}
    mp, mg = set(), set()
    for p in p_segs:
        for g in g_segs:
            if pred_classes[p] != gt_classes[g]:
                continue
            pm, gm = pred_ids == p, gt_ids == g
            inter = np.sum(pm & gm)
            iou = inter / (pm.sum() + gm.sum() - inter - (np.sum(pm & void) if void_union else 0))
            if iou > 0.5 or (not strict and iou >= 0.5):
                s = stats.setdefault(gt_classes[g], [0.0, 0, 0, 0])
                s[0] += iou
                s[1] += 1
                mp.add(p)
                mg.add(g)
    for g in set(g_segs) - mg:
        stats.setdefault(gt_classes[g], [0.0, 0, 0, 0])[3] += 1
    for p in set(p_segs) - mp:
        pm = pred_ids == p
        if not void_fp or np.sum(pm & void) / pm.sum() <= 0.5:
            stats.setdefault(pred_classes[p], [0.0, 0, 0, 0])[2] += 1
    if not stats:
        raise ValueError("nothing to score")
    sq = [s / tp if tp else 0.0 for s, tp, _, _ in stats.values()]
    rq = [tp / (tp + fp / 2 + fn / 2) for _, tp, fp, fn in stats.values()]
    return float(np.mean([a * b for a, b in zip(sq, rq, strict=True)])), float(np.mean(sq)), float(np.mean(rq))


@pitfall(replaces="panoptic_quality", why="matches at IoU >= 0.5 (the paper's uniqueness argument needs > 0.5)")
def matches_at_one_half(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                        gt_classes: dict[int, int]) -> tuple[float, float, float]:
    return _pq(pred_ids, pred_classes, gt_ids, gt_classes, strict=False)


@pitfall(replaces="panoptic_quality", why="keeps VOID pixels of the prediction in the union")
def void_in_union(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                  gt_classes: dict[int, int]) -> tuple[float, float, float]:
    return _pq(pred_ids, pred_classes, gt_ids, gt_classes, void_union=False)


@pitfall(replaces="panoptic_quality", why="counts every unmatched prediction as a false positive, even one lying in VOID")
def void_predictions_are_fp(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                            gt_classes: dict[int, int]) -> tuple[float, float, float]:
    return _pq(pred_ids, pred_classes, gt_ids, gt_classes, void_fp=False)


@pitfall(replaces="panoptic_quality", why="PQ as the mean SQ times the mean RQ, not the mean of per-class products")
def product_of_means(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                     gt_classes: dict[int, int]) -> tuple[float, float, float]:
    _, sq, rq = _pq(pred_ids, pred_classes, gt_ids, gt_classes)
    return sq * rq, sq, rq
