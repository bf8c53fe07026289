"""arch-06-2: mean average precision for detection. Edit this file; `grader check arch-06-2` tests it."""
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
    """Mark each detection of one image and one class as a true or a false positive (COCO matching).

    Visit detections by decreasing score (equal scores: the lower index first). A detection is a
    true positive if some ground-truth box not yet matched has IoU >= iou_threshold with it; it then
    takes the unmatched box of highest IoU (ties: the lower index), which no later detection can
    take. Otherwise it is a false positive. The inputs are left unchanged.

    Shapes:
        det_boxes: (D, 4)     det_scores: (D,)     gt_boxes: (G, 4)     returns: (D,) bool, in input order
    """
    raise NotImplementedError("match_detections: greedy matching by score")


def average_precision(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, interpolation: str = "all") -> float:
    """Average precision of one class from its detections' true-positive flags and scores.

    Rank the detections by decreasing score (equal scores: the lower index first); after the k-th,
    precision P_k = TP_k / k and recall R_k = TP_k / n_gt (R_0 = 0). With the precision envelope
    Pi_k = max_{j >= k} P_j:
        "none":    sum_k (R_k - R_{k-1}) P_k          (sklearn's average_precision_score)
        "all":     sum_k (R_k - R_{k-1}) Pi_k         (Pascal VOC 2010+: area under the envelope)
        "voc11":   mean over r in {0, 0.1, ..., 1} of max{P_k : R_k >= r}, 0 if no such k (VOC 2007)
        "coco101": the same over the 101 points r in {0, 0.01, ..., 1} (COCO)
    No detections give 0.

    Shapes:
        is_tp: (D,) bool     scores: (D,)     returns: a Python float

    Raises:
        ValueError: if n_gt < 1 or interpolation is not one of the four names.
    """
    raise NotImplementedError("average_precision: precision/recall curve and its area")


def mean_average_precision(detections: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                           ground_truths: list[tuple[np.ndarray, np.ndarray]], iou_threshold: float = 0.5,
                           interpolation: str = "all") -> float:
    """mAP over the classes that have at least one ground-truth box.

    detections[i] = (boxes (D_i, 4), scores (D_i,), labels (D_i,)) and ground_truths[i] = (boxes
    (G_i, 4), labels (G_i,)) for image i. For each class: match each image's detections of that
    class to the same image's boxes of that class (match_detections), pool the flags and scores of
    all images in image order, and take average_precision with n_gt = that class's boxes over all
    images. Classes with detections but no ground truth are left out. Inputs are left unchanged.

    Raises:
        ValueError: if the two lists differ in length or there is no ground-truth box at all.
    """
    raise NotImplementedError("mean_average_precision: per-class AP, then the mean")
