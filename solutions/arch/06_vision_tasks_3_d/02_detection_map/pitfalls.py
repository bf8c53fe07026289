"""Plausible wrong matching, AP and mAP code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from detection_map import INTERPOLATIONS, average_precision, box_iou, match_detections


@pitfall(replaces="match_detections", why="lets two detections match the same ground-truth box (duplicates count as hits)")
def gt_matched_twice(det_boxes: np.ndarray, det_scores: np.ndarray, gt_boxes: np.ndarray,
                     iou_threshold: float = 0.5) -> np.ndarray:
    iou = box_iou(det_boxes, gt_boxes)
    if iou.shape[1] == 0:
        return np.zeros(iou.shape[0], dtype=bool)
    return iou.max(axis=1) >= iou_threshold


@pitfall(replaces="match_detections", why="VOC-style: takes the best box overall, and a taken best box makes a false positive")
def best_box_even_if_taken(det_boxes: np.ndarray, det_scores: np.ndarray, gt_boxes: np.ndarray,
                           iou_threshold: float = 0.5) -> np.ndarray:
    order = np.argsort(-np.asarray(det_scores), kind="stable")
    iou = box_iou(det_boxes, gt_boxes)
    taken = np.zeros(iou.shape[1], dtype=bool)
    is_tp = np.zeros(iou.shape[0], dtype=bool)
    for d in order:
        if iou.shape[1] == 0:
            break
        g = int(np.argmax(iou[d]))
        if iou[d, g] >= iou_threshold and not taken[g]:
            taken[g] = is_tp[d] = True
    return is_tp


@pitfall(replaces="match_detections", why="matches in input order, not by decreasing score")
def index_order(det_boxes: np.ndarray, det_scores: np.ndarray, gt_boxes: np.ndarray,
                iou_threshold: float = 0.5) -> np.ndarray:
    iou = box_iou(det_boxes, gt_boxes)
    taken = np.zeros(iou.shape[1], dtype=bool)
    is_tp = np.zeros(iou.shape[0], dtype=bool)
    for d in range(iou.shape[0]):
        cand = np.where(taken, -1.0, iou[d])
        if cand.size and cand.max() >= iou_threshold:
            taken[int(np.argmax(cand))] = is_tp[d] = True
    return is_tp


@pitfall(replaces="match_detections", why="IoU strictly above the threshold counts (COCO uses >=)")
def strict_threshold(det_boxes: np.ndarray, det_scores: np.ndarray, gt_boxes: np.ndarray,
                     iou_threshold: float = 0.5) -> np.ndarray:
    order = np.argsort(-np.asarray(det_scores), kind="stable")
    iou = box_iou(det_boxes, gt_boxes)
    taken = np.zeros(iou.shape[1], dtype=bool)
    is_tp = np.zeros(iou.shape[0], dtype=bool)
    for d in order:
        cand = np.where(taken, -1.0, iou[d])
        if cand.size and cand.max() > iou_threshold:
            taken[int(np.argmax(cand))] = is_tp[d] = True
    return is_tp


def _curve(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str) -> tuple[np.ndarray, np.ndarray]:
    if n_gt <= 0 or interpolation not in INTERPOLATIONS:
        raise ValueError("bad arguments")
    order = np.argsort(-np.asarray(scores), kind="stable")
    ctp = np.cumsum(np.asarray(is_tp, dtype=np.float64)[order])
    return ctp / n_gt, ctp / np.arange(1, len(ctp) + 1)


@pitfall(replaces="average_precision", why="no precision envelope: 'all' is the raw area, like 'none'")
def no_envelope(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    recall, precision = _curve(is_tp, scores, n_gt, interpolation)
    if recall.size == 0:
        return 0.0
    if interpolation in ("none", "all"):
        return float(np.sum(np.diff(recall, prepend=0.0) * precision))
    points = np.linspace(0, 1, 11 if interpolation == "voc11" else 101)
    return float(np.mean([precision[recall >= t].max() if (recall >= t).any() else 0.0 for t in points]))


@pitfall(replaces="average_precision", why="recall over the detected positives (TP count), forgetting the missed boxes")
def recall_over_detected(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    n_found = int(np.sum(is_tp))
    return average_precision(is_tp, scores, n_found if n_found else n_gt, interpolation) if n_gt > 0 else \
        average_precision(is_tp, scores, n_gt, interpolation)


@pitfall(replaces="average_precision", why="VOC 2007 over 10 recall points 0, 0.1, ..., 0.9 (np.arange(0, 1, 0.1))")
def ten_points(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    recall, precision = _curve(is_tp, scores, n_gt, interpolation)
    if recall.size == 0:
        return 0.0
    env = np.maximum.accumulate(precision[::-1])[::-1]
    if interpolation == "none":
        return float(np.sum(np.diff(recall, prepend=0.0) * precision))
    if interpolation == "all":
        return float(np.sum(np.diff(recall, prepend=0.0) * env))
    points = np.arange(0, 1, 0.1) if interpolation == "voc11" else np.arange(0, 1, 0.01)
    return float(np.mean([env[recall >= t].max() if (recall >= t).any() else 0.0 for t in points]))


@pitfall(replaces="average_precision", why="ranks with an unstable sort of ascending scores reversed: ties go last index first")
def ties_reversed(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    if n_gt <= 0 or interpolation not in INTERPOLATIONS:
        raise ValueError("bad arguments")
    order = np.argsort(np.asarray(scores), kind="stable")[::-1]
    return average_precision(np.asarray(is_tp)[order], np.arange(len(order), 0, -1, dtype=float), n_gt,
                             interpolation)


@pitfall(replaces="mean_average_precision", why="averages over every class seen, counting classes without ground truth as AP 0")
def zero_for_missing_classes(detections: list, ground_truths: list, iou_threshold: float = 0.5,
                             interpolation: str = "all") -> float:
    if len(detections) != len(ground_truths):
        raise ValueError("lengths differ")
    gt_classes = {int(c) for _, labels in ground_truths for c in np.asarray(labels).reshape(-1)}
    if not gt_classes:
        raise ValueError("no ground truth")
    classes = sorted(gt_classes | {int(c) for *_, labels in detections for c in np.asarray(labels).reshape(-1)})
    aps = []
    for c in classes:
        tps, scores, n_gt = [], [], 0
        for (db, ds, dl), (gb, gl) in zip(detections, ground_truths, strict=True):
            n_gt += int((np.asarray(gl) == c).sum())
            m = np.asarray(dl) == c
            tps.append(match_detections(np.asarray(db)[m], np.asarray(ds)[m], np.asarray(gb)[np.asarray(gl) == c],
                                        iou_threshold))
            scores.append(np.asarray(ds)[m])
        aps.append(average_precision(np.concatenate(tps), np.concatenate(scores), n_gt, interpolation)
                   if n_gt else 0.0)
    return float(np.mean(aps))


@pitfall(replaces="mean_average_precision", why="pools every image's boxes before matching: a detection can take another image's box")
def pools_images_before_matching(detections: list, ground_truths: list, iou_threshold: float = 0.5,
                                 interpolation: str = "all") -> float:
    if len(detections) != len(ground_truths):
        raise ValueError("lengths differ")
    db = np.concatenate([np.asarray(d[0]).reshape(-1, 4) for d in detections])
    ds = np.concatenate([np.asarray(d[1]) for d in detections])
    dl = np.concatenate([np.asarray(d[2]) for d in detections])
    gb = np.concatenate([np.asarray(g[0]).reshape(-1, 4) for g in ground_truths])
    gl = np.concatenate([np.asarray(g[1]) for g in ground_truths])
    classes = sorted({int(c) for c in gl})
    if not classes:
        raise ValueError("no ground truth")
    aps = [average_precision(match_detections(db[dl == c], ds[dl == c], gb[gl == c], iou_threshold), ds[dl == c],
                             int((gl == c).sum()), interpolation) for c in classes]
    return float(np.mean(aps))
