"""Tests for arch-06-4, segmentation metrics.

References: sklearn.metrics.confusion_matrix and jaccard_score for the semantic metrics; panoptic
quality against its definition computed from a pair-count contingency table (np.unique over
(pred id, gt id) pairs), and hand-checked panoptic cases (a perfect prediction, IoU exactly 0.5,
a prediction mostly in VOID).
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix as sk_confusion
from sklearn.metrics import jaccard_score

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# sklearn warns when a map holds a single label; the explicit `labels=` below already handles that.
pytestmark = pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")


def sk_conf(target: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    return sk_confusion(target, pred, labels=list(range(k))) if target.size else np.zeros((k, k), dtype=np.int64)


@st.composite
def label_maps(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, int | None]:
    k = draw(st.integers(1, 5))
    shape = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    rng = np.random.default_rng(draw(seeds()))
    target = rng.integers(0, k, shape)
    pred = np.where(rng.random(shape) < 0.6, target, rng.integers(0, k, shape))
    ignore = draw(st.sampled_from([None, 255, -1]))
    if ignore is not None:
        target = np.where(rng.random(shape) < 0.2, ignore, target)
    return pred, target, k, ignore


@given(case=label_maps())
@example(case=(np.array([[0, 1], [1, 1]]), np.array([[1, 1], [0, 0]]), 3, None))   # class 2 absent
@example(case=(np.array([[7, 1]]), np.array([[255, 1]]), 2, 255))   # junk prediction under an ignored pixel
def test_confusion_matches_sklearn(kata, case):
    pred, target, k, ignore = case
    call = describe_call("confusion_matrix", pred, target, k, ignore_index=ignore)
    got = call_unmodified(kata.confusion_matrix, pred, target, k, ignore_index=ignore, fn_name="confusion_matrix")
    keep = target != ignore
    want = sk_conf(target[keep], pred[keep], k)
    assert np.asarray(got).dtype == np.int64, f"{call} returned dtype {np.asarray(got).dtype}, expected int64"
    assert_equal(got, want, name="confusion matrix (rows = true class)", call=call)


@given(bad=st.sampled_from(["shape", "pred_high", "target_high", "both_high", "pred_neg", "target_neg"]))
def test_confusion_rejects_bad_labels(kata, bad):
    pred, target = np.array([[0, 1], [2, 1]]), np.array([[0, 1], [1, 1]])
    if bad == "shape":
        pred = pred[:, :1]
    elif bad == "pred_high":
        pred[0, 0] = 3
    elif bad == "target_high":
        target[0, 0] = 3
    elif bad == "both_high":
        pred[0, 0], target[0, 0] = 3, 3
    elif bad == "pred_neg":
        pred[1, 0] = -1   # where the target is 1: t * K + p would still land inside the matrix
    else:
        target[0, 0] = -1
    with pytest.raises(ValueError):
        kata.confusion_matrix(pred, target, 3)
        pytest.fail(f"confusion_matrix with {bad} returned instead of raising ValueError")


@given(case=label_maps())
def test_per_class_iou_matches_sklearn(kata, case):
    pred, target, k, ignore = case
    keep = target != ignore
    conf = sk_conf(target[keep], pred[keep], k)
    call = describe_call("per_class_iou", conf)
    got = call_unmodified(kata.per_class_iou, conf, fn_name="per_class_iou")
    present = (conf.sum(0) + conf.sum(1)) > 0
    want = np.full(k, np.nan)
    if keep.any():
        want[present] = jaccard_score(target[keep], pred[keep], labels=list(range(k)), average=None,
                                      zero_division=0)[present]
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="per-class IoU (NaN for absent classes)", call=call)


@given(case=label_maps())
@example(case=(np.array([[0, 0], [1, 1]]), np.array([[0, 0], [1, 0]]), 4, None))   # two classes never occur
def test_mean_iou_matches_sklearn_macro(kata, case):
    pred, target, k, ignore = case
    keep = target != ignore
    if not keep.any():
        target[0, 0] = 0   # a map with no kept pixel has no mIoU
        keep = target != ignore
    labels = sorted(set(target[keep].tolist()) | set(pred[keep].tolist()))
    want = jaccard_score(target[keep], pred[keep], labels=labels, average="macro")
    call = describe_call("mean_iou", pred, target, k, ignore_index=ignore)
    got = call_unmodified(kata.mean_iou, pred, target, k, ignore_index=ignore, fn_name="mean_iou")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="mIoU over the classes that occur", call=call)


def test_mean_iou_default_keeps_every_pixel(kata):
    pred, target = np.array([0, 1, 1, 255]), np.array([0, 1, 0, 255])
    with pytest.raises(ValueError):
        kata.mean_iou(pred, target, 2)   # without ignore_index, 255 is a label out of range
        pytest.fail("mean_iou without ignore_index accepted the label 255")
    assert_close(kata.mean_iou(pred, target, 2, ignore_index=255), (1 / 2 + 1 / 2) / 2, rtol=1e-12, atol=0,
                 call=describe_call("mean_iou", pred, target, 2, ignore_index=255))


def pq_reference(pred_ids: np.ndarray, pc: dict, gt_ids: np.ndarray, gc: dict) -> tuple[float, float, float]:
    pairs, counts = np.unique(np.stack([pred_ids.ravel(), gt_ids.ravel()]), axis=1, return_counts=True)
    inter = {(int(p), int(g)): int(c) for (p, g), c in zip(pairs.T, counts, strict=True)}
    p_area = {int(p): int(c) for p, c in zip(*np.unique(pred_ids, return_counts=True), strict=True) if p}
    g_area = {int(g): int(c) for g, c in zip(*np.unique(gt_ids, return_counts=True), strict=True) if g}
    stats: dict = {}
    mp, mg = set(), set()
    for p in p_area:
        for g in g_area:
            if pc[p] == gc[g] and (p, g) in inter:
                i = inter[(p, g)]
                iou = i / (p_area[p] + g_area[g] - i - inter.get((p, 0), 0))
                if iou > 0.5:
                    s = stats.setdefault(gc[g], [0.0, 0, 0, 0])
                    s[0], s[1] = s[0] + iou, s[1] + 1
                    mp.add(p)
                    mg.add(g)
    for g in set(g_area) - mg:
        stats.setdefault(gc[g], [0.0, 0, 0, 0])[3] += 1
    for p in set(p_area) - mp:
        if inter.get((p, 0), 0) * 2 <= p_area[p]:
            stats.setdefault(pc[p], [0.0, 0, 0, 0])[2] += 1
    vals = [((s / tp if tp else 0.0) * tp / (tp + fp / 2 + fn / 2), s / tp if tp else 0.0, tp / (tp + fp / 2 + fn / 2))
            for s, tp, fp, fn in stats.values()]
    return tuple(float(np.mean([v[i] for v in vals])) for i in range(3))


@st.composite
def panoptic_case(draw: st.DrawFn) -> tuple[np.ndarray, dict, np.ndarray, dict]:
    rng = np.random.default_rng(draw(seeds()))
    h, w = draw(st.integers(2, 8)), draw(st.integers(2, 8))
    n_gt = draw(st.integers(1, 5))
    gt = rng.integers(0, n_gt + 1, (h, w))   # 0 = VOID
    # predictions: the ground truth with ids renamed, blocks relabelled, and some pixels unpredicted
    pred = np.where(gt > 0, gt + 10, rng.integers(11, 11 + n_gt + 1, (h, w)))
    noise = rng.random((h, w))
    pred = np.where(noise < 0.25, rng.integers(10, 13 + n_gt, (h, w)), pred)
    pred = np.where(noise > 0.9, 0, pred)
    n_classes = draw(st.integers(1, 3))
    gc = {int(g): int(rng.integers(0, n_classes)) for g in range(1, n_gt + 1)}
    pc = {int(p): int(rng.integers(0, n_classes)) if p not in range(11, 11 + n_gt) or rng.random() < 0.2
          else gc[p - 10] for p in range(10, 14 + n_gt)}
    if not (np.any(gt) or np.any(pred)):
        gt[0, 0] = 1
    return pred, pc, gt, gc


@settings(max_examples=25)
@given(case=panoptic_case())
def test_pq_matches_definition(kata, case):
    pred, pc, gt, gc = case
    call = describe_call("panoptic_quality", pred, pc, gt, gc)
    try:
        want = pq_reference(pred, pc, gt, gc)
    except (ValueError, ZeroDivisionError):   # every segment ignored: nothing to score
        with pytest.raises(ValueError):
            kata.panoptic_quality(pred, pc, gt, gc)
        return
    got = call_unmodified(kata.panoptic_quality, pred, pc, gt, gc, fn_name="panoptic_quality")
    assert all(isinstance(v, float) for v in got), f"{call} returned {got!r}, expected three Python floats"
    assert_close(np.array(got), np.array(want), rtol=1e-12, atol=1e-12, name="(PQ, SQ, RQ)", call=call)


def test_pq_hand_checked_cases(kata):
    gt = np.array([[1, 1, 2, 2]])
    perfect = kata.panoptic_quality(np.array([[5, 5, 6, 6]]), {5: 0, 6: 1}, gt, {1: 0, 2: 1})
    assert_close(np.array(perfect), [1.0, 1.0, 1.0], rtol=0, atol=1e-12, name="(PQ, SQ, RQ) of a perfect prediction",
                 call="panoptic_quality(renamed copy of the ground truth)")
    # pred segment 5 covers gt segment 1 (2 px) plus 2 px of segment 2: IoU = 2/4, exactly 0.5 -> no match
    gt = np.array([[1, 1, 2, 2, 2, 2]])
    pred = np.array([[5, 5, 5, 5, 6, 6]])
    got = kata.panoptic_quality(pred, {5: 0, 6: 0}, gt, {1: 0, 2: 0})
    # seg 6 vs seg 2: IoU 2/4 = 0.5 -> no match either. Class 0: TP 0, FP 2, FN 2.
    assert_close(np.array(got), [0.0, 0.0, 0.0], rtol=0, atol=1e-12, name="(PQ, SQ, RQ) with IoUs exactly 0.5 "
                 "(a match needs IoU > 0.5)", call=describe_call("panoptic_quality", pred, {5: 0, 6: 0}, gt, {1: 0, 2: 0}))


def test_pq_void_rules(kata):
    gt = np.array([[1, 1, 1, 0, 0, 0]])
    # pred 5 = 3 px of seg 1 + 1 VOID px: IoU = 3 / (4 + 3 - 3 - 1) = 1 (VOID ignored) -> TP with IoU 1
    # pred 6 = 2 VOID px: more than half in VOID -> not a false positive
    pred = np.array([[5, 5, 5, 5, 6, 6]])
    got = kata.panoptic_quality(pred, {5: 0, 6: 0}, gt, {1: 0})
    assert_close(np.array(got), [1.0, 1.0, 1.0], rtol=0, atol=1e-12, name="(PQ, SQ, RQ) with VOID pixels",
                 call=describe_call("panoptic_quality", pred, {5: 0, 6: 0}, gt, {1: 0}))
    # pred 6 now half in VOID (1 of 2 pixels): not more than half -> a false positive, RQ = 1 / 1.5
    gt = np.array([[1, 1, 1, 0, 0, 2]])
    pred = np.array([[5, 5, 5, 7, 6, 6]])
    got = kata.panoptic_quality(pred, {5: 0, 6: 0, 7: 1}, gt, {1: 0, 2: 1})
    # class 0: TP (IoU 3/3... pred 5 = 3 px, no VOID) + FP 6; class 1: FN seg 2, pred 7 all VOID (ignored)
    want_c0, want_c1 = (1.0 / 1.5, 1.0, 1.0 / 1.5), (0.0, 0.0, 0.0)
    assert_close(np.array(got), np.mean([want_c0, want_c1], axis=0), rtol=0, atol=1e-12,
                 name="(PQ, SQ, RQ): a half-VOID prediction is a false positive",
                 call=describe_call("panoptic_quality", pred, {5: 0, 6: 0, 7: 1}, gt, {1: 0, 2: 1}))


@given(bad=st.sampled_from(["shape", "pred_id", "gt_id", "empty"]))
def test_pq_rejects_bad_inputs(kata, bad):
    pred, pc, gt, gc = np.array([[5, 5, 6]]), {5: 0, 6: 1}, np.array([[1, 1, 2]]), {1: 0, 2: 1}
    if bad == "shape":
        gt = np.array([[1], [1], [2]])   # (3, 1) would broadcast against (1, 3)
    elif bad == "pred_id":
        pc = {5: 0}
    elif bad == "gt_id":
        gc = {2: 1}
    else:
        pred, gt = np.zeros((1, 3), dtype=np.int64), np.zeros((1, 3), dtype=np.int64)
    with pytest.raises(ValueError):
        kata.panoptic_quality(pred, pc, gt, gc)
        pytest.fail(f"panoptic_quality with {bad} returned instead of raising ValueError")


def test_pq_averages_per_class_products(kata):
    """Class 0: one match of IoU 3/4 and one miss; class 1: a perfect match. PQ is the mean of the
    per-class SQ * RQ, not mean(SQ) * mean(RQ)."""
    gt = np.array([[1, 1, 1, 1, 2, 3, 3]])
    pred = np.array([[5, 5, 5, 0, 0, 7, 7]])
    pc, gc = {5: 0, 7: 1}, {1: 0, 2: 0, 3: 1}
    sq0, rq0 = 3 / 4, 1 / 1.5
    want = [(sq0 * rq0 + 1) / 2, (sq0 + 1) / 2, (rq0 + 1) / 2]
    assert_close(np.array(kata.panoptic_quality(pred, pc, gt, gc)), want, rtol=1e-12, atol=0,
                 name="(PQ, SQ, RQ) over two classes", call=describe_call("panoptic_quality", pred, pc, gt, gc))
