"""arch-06-4: segmentation metrics. Edit this file; `grader check arch-06-4` tests it."""
from __future__ import annotations

import numpy as np


def confusion_matrix(pred: np.ndarray, target: np.ndarray, num_classes: int,
                     ignore_index: int | None = None) -> np.ndarray:
    """Pixel confusion matrix: conf[t, p] counts pixels of true class t predicted as p.

    Pixels whose target equals ignore_index are dropped (whatever was predicted there). The inputs
    are left unchanged.

    Shapes:
        pred, target: the same shape, integer labels     returns: (num_classes, num_classes) int64

    Raises:
        ValueError: if the shapes differ, or a kept pixel's label (pred or target) is outside
            0 .. num_classes-1.
    """
    raise NotImplementedError("confusion_matrix")


def per_class_iou(conf: np.ndarray) -> np.ndarray:
    """IoU of every class from a confusion matrix: TP / (TP + FP + FN), NaN where TP + FP + FN = 0.

    Shapes:
        conf: (K, K) with rows = true class     returns: (K,) float64
    """
    raise NotImplementedError("per_class_iou")


def mean_iou(pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None) -> float:
    """mIoU: the mean of per_class_iou over the classes that occur (in target or pred), as a float.

    Raises:
        ValueError: as confusion_matrix.
    """
    raise NotImplementedError("mean_iou")


def panoptic_quality(pred_ids: np.ndarray, pred_classes: dict[int, int], gt_ids: np.ndarray,
                     gt_classes: dict[int, int]) -> tuple[float, float, float]:
    """Panoptic quality (Kirillov et al. 2019): (PQ, SQ, RQ), each the mean over classes.

    Each map holds a segment id per pixel; id 0 is "no segment" in pred_ids and VOID (unlabelled)
    in gt_ids. pred_classes / gt_classes give each segment id's class.
    - A predicted and a ground-truth segment of the same class match when IoU > 0.5 (strictly),
      with IoU = |p ∩ g| / (|p| + |g| - |p ∩ g| - |p ∩ VOID|): VOID pixels of p do not count.
    - Per class: TP = matches, FN = unmatched ground-truth segments, FP = unmatched predicted
      segments, except those with more than half of their pixels in VOID (not counted at all).
      SQ = (sum of matched IoUs) / TP (0 when TP = 0), RQ = TP / (TP + FP/2 + FN/2), PQ = SQ * RQ.
    - Average each over the classes with TP + FP + FN > 0.
    The inputs are left unchanged.

    Shapes:
        pred_ids, gt_ids: (H, W) integer     returns: three Python floats

    Raises:
        ValueError: if the maps differ in shape, a non-zero id in a map has no class, or no class
            has TP + FP + FN > 0.
    """
    raise NotImplementedError("panoptic_quality")
