"""Tests for arch-06-2, mean average precision for detection.

References: sklearn.metrics.average_precision_score for the uninterpolated AP; the VOC and COCO
definitions written as loops over the ranked list (max precision at recall >= r); COCO's greedy
matching as a brute-force loop over exact IoUs of integer boxes; hand-checked cases.
"""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score

from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

GRID = 8
METHODS = ["none", "all", "voc11", "coco101"]


@st.composite
def int_boxes(draw: st.DrawFn, n_min: int = 0, n_max: int = 6) -> np.ndarray:
    n = draw(st.integers(n_min, n_max))
    out = []
    for _ in range(n):
        x1, x2 = sorted(draw(st.lists(st.integers(0, GRID), min_size=2, max_size=2)))
        y1, y2 = sorted(draw(st.lists(st.integers(0, GRID), min_size=2, max_size=2)))
        out.append([x1, y1, x2, y2])
    return np.array(out, dtype=np.float64).reshape(-1, 4)


def exact_iou(p: np.ndarray, q: np.ndarray) -> Fraction:
    w = max(0, int(min(p[2], q[2]) - max(p[0], q[0])))
    h = max(0, int(min(p[3], q[3]) - max(p[1], q[1])))
    union = int((p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1])) - w * h
    return Fraction(w * h, union) if union else Fraction(0)


def match_reference(dets: np.ndarray, scores: np.ndarray, gts: np.ndarray, thr: float) -> np.ndarray:
    order = sorted(range(len(dets)), key=lambda i: (-scores[i], i))
    taken: set[int] = set()
    tp = np.zeros(len(dets), dtype=bool)
    for d in order:
        best, best_iou = None, Fraction(-1)
        for g in range(len(gts)):
            if g not in taken and exact_iou(dets[d], gts[g]) > best_iou:
                best, best_iou = g, exact_iou(dets[d], gts[g])
        if best is not None and best_iou >= Fraction(thr):
            taken.add(best)
            tp[d] = True
    return tp


THRESHOLDS = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])   # dyadic: exact ties with small-integer IoUs


@given(dets=int_boxes(0, 7), gts=int_boxes(0, 5), thr=THRESHOLDS, data=st.data())
@example(dets=np.array([[0, 0, 2, 1], [0, 0, 4, 1.0]]), gts=np.array([[0, 0, 4, 1], [0, 0, 1, 1.0]]), thr=0.5,
         data=None)   # det 1 wins gt 0; det 0 then has IoU exactly 0.5 with gt 0 (taken) and 0.5 with gt 1
@example(dets=np.array([[0, 0, 4, 4], [0, 0, 4, 3.0]]), gts=np.array([[0, 0, 4, 4], [0, 0, 4, 2.0]]), thr=0.5,
         data=None)   # the second detection's best box is taken; the next-best unmatched one still counts
def test_matching_is_greedy_by_score(kata, dets, gts, thr, data):
    if data is None:
        scores = np.array([0.5, 0.9])
    else:
        scores = np.array(data.draw(st.lists(st.sampled_from([0.1, 0.5, 0.9]), min_size=len(dets),
                                             max_size=len(dets)), label="scores"))
    call = describe_call("match_detections", dets, scores, gts, thr)
    got = call_unmodified(kata.match_detections, dets, scores, gts, thr, fn_name="match_detections")
    assert np.asarray(got).dtype == bool, f"{call} returned dtype {np.asarray(got).dtype}, expected bool"
    assert_equal(got, match_reference(dets, scores, gts, thr), name="true-positive flags", call=call)


def test_matching_default_threshold_is_one_half(kata):
    dets, gts, scores = np.array([[0, 0, 2, 1.0]]), np.array([[0, 0, 4, 1.0]]), np.array([1.0])   # IoU 0.5
    got = kata.match_detections(dets, scores, gts)
    assert_equal(got, [True], name="flags with the default iou_threshold (IoU exactly 0.5)",
                 call=describe_call("match_detections", dets, scores, gts))
    dets = np.array([[0, 0, 1, 1.0]])   # IoU 0.25
    assert_equal(kata.match_detections(dets, scores, gts), [False], name="flags with the default iou_threshold "
                 "(IoU 0.25)", call=describe_call("match_detections", dets, scores, gts))


def ranked(is_tp: np.ndarray, scores: np.ndarray, n_gt: int) -> tuple[np.ndarray, np.ndarray]:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    tp = np.cumsum(is_tp[order])
    return tp / n_gt, tp / np.arange(1, len(order) + 1)


def ap_reference(is_tp: np.ndarray, scores: np.ndarray, n_gt: int, method: str) -> float:
    if len(scores) == 0:
        return 0.0
    rec, prec = ranked(is_tp, scores, n_gt)
    prev = np.concatenate([[0.0], rec[:-1]])
    if method == "none":
        return float(np.sum((rec - prev) * prec))
    if method == "all":
        return float(sum((rec[k] - prev[k]) * prec[k:].max() for k in range(len(rec))))
    points = [i / 10 for i in range(11)] if method == "voc11" else [i / 100 for i in range(101)]
    return float(np.mean([max((p for p, r in zip(prec, rec, strict=True) if r >= t - 1e-12), default=0.0)
                          for t in points]))


@st.composite
def ranked_detections(draw: st.DrawFn, ties: bool = True) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(st.integers(0, 12))
    is_tp = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if ties:
        scores = np.array(draw(st.lists(st.sampled_from([0.2, 0.4, 0.6, 0.8]), min_size=n, max_size=n)))
    else:
        scores = np.array(draw(st.permutations(list(range(n))))) / max(n, 1) + 0.01
    n_gt = int(is_tp.sum()) + draw(st.integers(0 if is_tp.any() else 1, 3))
    return is_tp, scores.astype(np.float64), n_gt


@given(det=ranked_detections(ties=False))
def test_uninterpolated_ap_matches_sklearn(kata, det):
    is_tp, scores, n_gt = det
    call = describe_call("average_precision", is_tp, scores, n_gt, interpolation="none")
    got = call_unmodified(kata.average_precision, is_tp, scores, n_gt, interpolation="none",
                          fn_name="average_precision")
    # sklearn's AP is over the detected positives; missed boxes scale recall by (#TP / n_gt).
    want = average_precision_score(is_tp, scores) * is_tp.sum() / n_gt if is_tp.any() and not is_tp.all() else (
        is_tp.sum() / n_gt if is_tp.any() else 0.0)
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)


@given(det=ranked_detections(), method=st.sampled_from(METHODS))
@example(det=(np.array([True, False, True, False, False, True]), np.array([.9, .8, .7, .6, .5, .4]), 4),
         method="all")
@example(det=(np.array([False, True]), np.array([.5, .5]), 1), method="none")   # tie: index 0 ranks first
@example(det=(np.array([True, True]), np.array([.3, .3]), 5), method="voc11")   # recall 0.4: r = 0.4 is reached
@example(det=(np.array([True]), np.array([.3]), 10), method="coco101")         # recall exactly 0.1
@example(det=(np.array([], dtype=bool), np.array([]), 2), method="all")        # no detections
def test_ap_matches_its_definition(kata, det, method):
    is_tp, scores, n_gt = det
    call = describe_call("average_precision", is_tp, scores, n_gt, interpolation=method)
    got = call_unmodified(kata.average_precision, is_tp, scores, n_gt, interpolation=method,
                          fn_name="average_precision")
    assert_close(got, ap_reference(is_tp, scores, n_gt, method), rtol=1e-12, atol=1e-12, call=call)


def test_ap_hand_checked_voc_example(kata):
    """TP, FP, TP, FP, FP, TP over 4 boxes: precisions 1, 1/2, 2/3, 1/2, 2/5, 1/2 at recalls 1/4 .. 3/4."""
    is_tp, scores = np.array([1, 0, 1, 0, 0, 1], dtype=bool), np.array([.9, .8, .7, .6, .5, .4])
    want = {"none": (1 + 2 / 3 + 1 / 2) / 4, "all": (1 + 2 / 3 + 1 / 2) / 4,
            "voc11": (3 * 1 + 3 * 2 / 3 + 2 * 1 / 2) / 11}
    for method, value in want.items():
        assert_close(kata.average_precision(is_tp, scores, 4, interpolation=method), value, rtol=1e-12, atol=0,
                     call=describe_call("average_precision", is_tp, scores, 4, interpolation=method))
    default = kata.average_precision(is_tp[[0, 1, 5]], scores[[0, 1, 5]], 2)
    assert_close(default, 0.5 * 1 + 0.5 * 2 / 3, rtol=1e-12, atol=0, name="AP with the default interpolation "
                 "(expected 'all': the envelope lifts the 1/2 at recall 1/2 to 2/3)",
                 call=describe_call("average_precision", is_tp[[0, 1, 5]], scores[[0, 1, 5]], 2))


@given(n_gt=st.integers(-2, 0))
def test_ap_rejects_no_ground_truth(kata, n_gt):
    with pytest.raises(ValueError):
        kata.average_precision(np.array([True]), np.array([0.5]), n_gt)
        pytest.fail(f"average_precision(n_gt={n_gt}) returned instead of raising ValueError")


def test_ap_rejects_unknown_interpolation(kata):
    with pytest.raises(ValueError):
        kata.average_precision(np.array([True]), np.array([0.5]), 1, interpolation="voc12")
        pytest.fail("average_precision(interpolation='voc12') returned instead of raising ValueError")


@st.composite
def dataset(draw: st.DrawFn) -> tuple[list, list]:
    n_img = draw(st.integers(1, 3))
    dets, gts = [], []
    for _ in range(n_img):
        gb = draw(int_boxes(0, 3))
        gl = np.array(draw(st.lists(st.integers(0, 2), min_size=len(gb), max_size=len(gb))), dtype=np.int64)
        # detections: jittered copies of the ground truth plus free boxes
        db = np.concatenate([gb + draw(st.sampled_from([0.0, 1.0])), draw(int_boxes(0, 3))]).reshape(-1, 4)
        free = draw(st.lists(st.integers(0, 2), min_size=len(db) - len(gb), max_size=len(db) - len(gb)))
        dl = np.concatenate([gl, np.array(free, dtype=np.int64)])   # jittered copies keep their class
        ds = np.array(draw(st.lists(st.sampled_from([0.3, 0.6, 0.9]), min_size=len(db), max_size=len(db))))
        dets.append((db, ds, dl))
        gts.append((gb, gl))
    if not any(len(g[1]) for g in gts):
        gts[0] = (np.array([[0, 0, 2, 2.0]]), np.array([1]))
    return dets, gts


def map_reference(dets: list, gts: list, thr: float, method: str) -> float:
    classes = sorted({int(c) for _, gl in gts for c in gl})
    aps = []
    for c in classes:
        tps, scores, n_gt = [], [], 0
        for (db, ds, dl), (gb, gl) in zip(dets, gts, strict=True):
            n_gt += int((gl == c).sum())
            tps.append(match_reference(db[dl == c], ds[dl == c], gb[gl == c], thr))
            scores.append(ds[dl == c])
        aps.append(ap_reference(np.concatenate(tps), np.concatenate(scores), n_gt, method))
    return float(np.mean(aps))


@settings(max_examples=20)
@given(data=dataset(), thr=st.sampled_from([0.25, 0.5, 0.75]), method=st.sampled_from(METHODS))
def test_map_matches_per_class_reference(kata, data, thr, method):
    dets, gts = data
    call = describe_call("mean_average_precision", f"{len(dets)} images", iou_threshold=thr, interpolation=method)
    got = call_unmodified(kata.mean_average_precision, dets, gts, iou_threshold=thr, interpolation=method,
                          fn_name="mean_average_precision")
    assert_close(got, map_reference(dets, gts, thr, method), rtol=1e-12, atol=1e-12, call=call)


def test_map_hand_checked_two_images(kata):
    """Class 0: a perfect hit in image 0, a miss in image 1 (the detection sits on image 0's box).
    Class 1: only a false positive, no ground truth: left out. Class 2: a hit behind a false positive."""
    box = np.array([[0, 0, 2, 2.0]])
    dets = [(np.array([[0, 0, 2, 2], [4, 4, 6, 6], [0, 0, 2, 2]], dtype=float), np.array([0.9, 0.8, 0.3]),
             np.array([0, 1, 2])),
            (np.array([[0, 0, 2, 2], [5, 5, 7, 7]], dtype=float), np.array([0.7, 0.4]), np.array([0, 2]))]
    gts = [(np.concatenate([box, box]), np.array([0, 2])), (np.array([[5, 5, 6, 6.0], [0, 0, 2, 2]]),
                                                              np.array([0, 2]))]
    # class 0: ranked TP (0.9), FP (0.7 in image 1: wrong place) over 2 boxes -> AP_all = 1/2
    # class 2: ranked FP (0.4: image 1's class-2 box is far away), TP (0.3) over 2 boxes -> AP_all = 1/2 * 1/2
    got = kata.mean_average_precision(dets, gts)
    assert_close(got, (0.5 + 0.25) / 2, rtol=1e-12, atol=0, name="mAP (default iou_threshold 0.5, 'all')",
                 call=describe_call("mean_average_precision", "2 images"))
    got = kata.mean_average_precision(dets, gts, interpolation="voc11")
    assert_close(got, (6 / 11 + 6 / 11 * 0.5) / 2, rtol=1e-12, atol=0, name="mAP with voc11",
                 call=describe_call("mean_average_precision", "2 images", interpolation="voc11"))


@given(case=st.sampled_from(["lengths", "empty"]))
def test_map_rejects_bad_inputs(kata, case):
    d = (np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=np.int64))
    g = (np.zeros((0, 4)), np.zeros(0, dtype=np.int64))
    args = ([d, d], [(np.array([[0, 0, 1, 1.0]]), np.array([0]))]) if case == "lengths" else ([d], [g])
    with pytest.raises(ValueError):
        kata.mean_average_precision(*args)
        pytest.fail(f"mean_average_precision with {case} returned instead of raising ValueError")


@given(iou_threshold=st.sampled_from([0.25, 0.5, 0.75]), method=st.sampled_from(METHODS))
def test_map_never_matches_across_images(kata, iou_threshold, method):
    """Image 0 has the object, image 1 has a detection in the same place: a false positive and a miss."""
    box = np.array([[0, 0, 2, 2.0]])
    dets = [(np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=np.int64)), (box, np.array([0.9]), np.array([0]))]
    gts = [(box, np.array([0])), (np.zeros((0, 4)), np.zeros(0, dtype=np.int64))]
    got = kata.mean_average_precision(dets, gts, iou_threshold=iou_threshold, interpolation=method)
    assert_close(got, 0.0, rtol=0, atol=1e-12, name="mAP (the only detection is in the wrong image)",
                 call=describe_call("mean_average_precision", "2 images", iou_threshold=iou_threshold,
                                    interpolation=method))


@given(iou_threshold=st.sampled_from([0.25, 0.5, 0.75]))
def test_map_uses_the_iou_threshold(kata, iou_threshold):
    dets = [(np.array([[0, 0, 2, 1.0]]), np.array([0.9]), np.array([3]))]
    gts = [(np.array([[0, 0, 4, 1.0]]), np.array([3]))]   # IoU exactly 0.5
    got = kata.mean_average_precision(dets, gts, iou_threshold=iou_threshold)
    assert_close(got, 1.0 if iou_threshold <= 0.5 else 0.0, rtol=0, atol=1e-12,
                 name="mAP of one detection at IoU 0.5", call=describe_call(
                     "mean_average_precision", "1 image", iou_threshold=iou_threshold))
