"""Tests for arch-06-1, IoU, non-maximum suppression and anchor generation.

References: IoU of integer boxes by counting the unit cells they cover (exact fractions), scaled by
a power of two so the coordinates are not integers; NMS against a brute-force greedy loop over those
exact IoUs; anchors against the closed form and their defining properties (area s², h / w = r,
centred on the cell). torchvision's ops cannot be imported here (its wheel does not load with this
CPU torch build), so the references are written out.
"""
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

GRID = 8


@st.composite
def int_boxes(draw: st.DrawFn, n_min: int = 0, n_max: int = 6) -> list[list[int]]:
    """Integer boxes inside an 8 × 8 grid; zero width or height allowed."""
    n = draw(st.integers(n_min, n_max))
    out = []
    for _ in range(n):
        x1, x2 = sorted(draw(st.lists(st.integers(0, GRID), min_size=2, max_size=2)))
        y1, y2 = sorted(draw(st.lists(st.integers(0, GRID), min_size=2, max_size=2)))
        out.append([x1, y1, x2, y2])
    return out


def raster(box: list[int]) -> np.ndarray:
    m = np.zeros((GRID, GRID), dtype=bool)
    m[box[1]:box[3], box[0]:box[2]] = True
    return m


def exact_iou(p: list[int], q: list[int]) -> Fraction:
    """IoU by counting covered unit cells: an independent, exact reference."""
    a, b = raster(p), raster(q)
    union = int((a | b).sum())
    return Fraction(int((a & b).sum()), union) if union else Fraction(0)


def as_tensor(boxes: list[list[int]], dtype: torch.dtype, scale: float = 1.0) -> torch.Tensor:
    return torch.tensor(boxes, dtype=dtype).reshape(-1, 4) * scale


@given(a=int_boxes(), b=int_boxes(), dtype=torch_float_dtypes(), scale=st.sampled_from([1.0, 0.25, 8.0]))
@example(a=[[0, 0, 2, 2]], b=[[4, 4, 6, 6]], dtype=torch.float64, scale=1.0)    # disjoint on both axes
@example(a=[[0, 0, 2, 1]], b=[[0, 0, 2, 1]], dtype=torch.float32, scale=1.0)    # identical: IoU 1
@example(a=[[0, 0, 2, 2]], b=[[2, 0, 4, 2]], dtype=torch.float64, scale=1.0)    # touching edges: IoU 0
@example(a=[[3, 3, 3, 3]], b=[[3, 3, 3, 3]], dtype=torch.float64, scale=1.0)    # two points: union 0
@example(a=[[0, 0, 4, 4]], b=[[1, 1, 2, 2]], dtype=torch.float32, scale=0.25)   # nested
def test_iou_counts_covered_cells(kata, a, b, dtype, scale):
    ta, tb = as_tensor(a, dtype, scale), as_tensor(b, dtype, scale)
    call = describe_call("box_iou", ta, tb)
    got = call_unmodified(kata.box_iou, ta, tb, fn_name="box_iou")
    want = np.array([[float(exact_iou(p, q)) for q in b] for p in a]).reshape(len(a), len(b))
    assert_dtype(got, ta, call=call)
    # float32 quotients of small exact areas: a few ulps.
    assert_close(got, want, rtol=1e-6, atol=1e-7, call=call)


@given(a=int_boxes(1, 4), b=int_boxes(1, 4))
def test_iou_is_symmetric(kata, a, b):
    ta, tb = as_tensor(a, torch.float64), as_tensor(b, torch.float64)
    assert_close(kata.box_iou(tb, ta), kata.box_iou(ta, tb).T, rtol=0, atol=1e-15, name="box_iou(b, a)",
                 call=describe_call("box_iou", tb, ta))


@given(side=st.sampled_from(["a", "b"]), axis=st.sampled_from([0, 1]))
def test_iou_rejects_inverted_boxes(kata, side, axis):
    good = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
    bad = torch.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]])
    bad[1, 2 + axis] = 0.5   # x2 (or y2) below x1 (or y1)
    args = (bad, good) if side == "a" else (good, bad)
    with pytest.raises(ValueError):
        kata.box_iou(*args)
        pytest.fail(f"box_iou with an inverted box in {side} returned instead of raising ValueError")


@given(side=st.sampled_from(["a", "b"]), width=st.sampled_from([2, 3, 5]))
def test_iou_rejects_wrong_width(kata, side, width):
    good = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
    bad = torch.zeros(2, width)
    args = (bad, good) if side == "a" else (good, bad)
    with pytest.raises(ValueError):
        kata.box_iou(*args)
        pytest.fail(f"box_iou with boxes of {width} coordinates returned instead of raising ValueError")


def greedy_reference(boxes: list[list[int]], scores: list[int], thr: float) -> list[int]:
    order = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    keep: list[int] = []
    for i in order:
        if all(exact_iou(boxes[i], boxes[k]) <= Fraction(thr) for k in keep):
            keep.append(i)
    return keep


# Dyadic thresholds: IoU = p/q of small integers equals one exactly or is far from it in float32.
THRESHOLDS = st.sampled_from([0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 1.0])


@given(data=st.data(), thr=THRESHOLDS, dtype=torch_float_dtypes())
@example(data=None, thr=0.5, dtype=torch.float32)
def test_nms_matches_brute_force(kata, data, thr, dtype):
    if data is None:   # IoU exactly at the threshold: kept ("strictly greater" suppresses)
        boxes, scores = [[0, 0, 2, 1], [0, 0, 1, 1], [0, 0, 4, 1]], [3, 2, 1]
    else:
        boxes = data.draw(int_boxes(0, 8), label="boxes")
        scores = data.draw(st.lists(st.integers(0, 3), min_size=len(boxes), max_size=len(boxes)), label="scores")
    tb, ts = as_tensor(boxes, dtype), torch.tensor(scores, dtype=dtype)
    call = describe_call("nms", tb, ts, thr)
    got = call_unmodified(kata.nms, tb, ts, thr, fn_name="nms")
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64 indices"
    assert_equal(got, np.array(greedy_reference(boxes, scores, thr), dtype=np.int64).reshape(-1),
                 name="kept indices", call=call)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 30), thr=st.sampled_from([0.3, 0.5, 0.7]))
def test_nms_kept_boxes_do_not_overlap_and_suppressed_ones_do(kata, seed, n, thr):
    """The greedy invariant, on continuous boxes with distinct scores."""
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * 10
    boxes = torch.cat([xy, xy + 1 + torch.rand(n, 2, generator=g, dtype=torch.float64) * 4], dim=1)
    scores = torch.rand(n, generator=g, dtype=torch.float64)
    keep = kata.nms(boxes, scores, thr).tolist()
    call = describe_call("nms", boxes, scores, thr)
    order = torch.argsort(scores, descending=True).tolist()
    assert keep == [i for i in order if i in keep], f"{call} kept {keep}, not in decreasing score order"
    b = boxes.numpy()

    def iou(i: int, j: int) -> float:
        w = max(0.0, min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0]))
        h = max(0.0, min(b[i, 3], b[j, 3]) - max(b[i, 1], b[j, 1]))
        area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        return w * h / (area[i] + area[j] - w * h)

    for i in range(n):
        before = [k for k in keep if scores[k] > scores[i]]
        blocked = any(iou(i, k) > thr for k in before)
        assert (i in keep) != blocked, (
            f"{call}: box {i} is {'kept' if i in keep else 'suppressed'}, but its largest IoU with a kept, "
            f"higher-scoring box is {max([iou(i, k) for k in before], default=0.0):.4f} (threshold {thr})")


def anchors_reference(h: int, w: int, stride: float, sizes: list[float], ratios: list[float]) -> np.ndarray:
    rows = []
    for i in range(h):
        for j in range(w):
            cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
            for r in ratios:
                for s in sizes:
                    aw, ah = s / np.sqrt(r), s * np.sqrt(r)
                    rows.append([cx - aw / 2, cy - ah / 2, cx + aw / 2, cy + ah / 2])
    return np.array(rows)


SIZES = st.lists(st.sampled_from([8.0, 16.0, 32.0, 24.0, 64.0]), min_size=1, max_size=3, unique=True)
RATIOS = st.lists(st.sampled_from([0.5, 1.0, 2.0, 0.25, 3.0]), min_size=1, max_size=3, unique=True)


@given(h=st.integers(1, 4), w=st.integers(1, 5), stride=st.sampled_from([4.0, 8.0, 16.0, 6.0]), sizes=SIZES,
       ratios=RATIOS)
@example(h=1, w=1, stride=16.0, sizes=[32.0], ratios=[1.0])
@example(h=2, w=3, stride=8.0, sizes=[16.0, 32.0], ratios=[0.5, 2.0])
@example(h=2, w=2, stride=0.5, sizes=[1.0, 0.5], ratios=[1.0])   # sub-pixel stride and sizes are valid
def test_anchors_match_closed_form(kata, h, w, stride, sizes, ratios):
    call = describe_call("anchor_grid", h, w, stride, sizes, ratios)
    got = kata.anchor_grid(h, w, stride, sizes, ratios)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    # float32 coordinates up to ~100 px: 1e-5 relative is a few ulps.
    assert_close(got, anchors_reference(h, w, stride, sizes, ratios), rtol=1e-5, atol=1e-4, call=call)


@given(sizes=SIZES, ratios=RATIOS)
def test_anchor_shapes_have_the_stated_area_and_ratio(kata, sizes, ratios):
    a = kata.anchor_grid(1, 1, 10.0, sizes, ratios).double()
    call = describe_call("anchor_grid", 1, 1, 10.0, sizes, ratios)
    wid, hei = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
    want_area = [s * s for r in ratios for s in sizes]
    want_ratio = [r for r in ratios for s in sizes]
    assert_close(wid * hei, want_area, rtol=1e-5, atol=0, name="anchor areas (expected s², ratio-major)", call=call)
    assert_close(hei / wid, want_ratio, rtol=1e-5, atol=0, name="anchor height / width (expected r)", call=call)
    assert_close((a[:, :2] + a[:, 2:]) / 2, np.full((len(want_area), 2), 5.0), rtol=0, atol=1e-4,
                 name="anchor centres (expected the cell centre (5, 5))", call=call)


@given(bad=st.sampled_from(["h", "w", "stride", "sizes", "ratios", "size0", "ratio0", "stride_neg"]))
def test_anchors_reject_bad_arguments(kata, bad):
    args = {"feature_h": 2, "feature_w": 2, "stride": 8.0, "sizes": [16.0], "aspect_ratios": [1.0]}
    args.update({"h": {"feature_h": 0}, "w": {"feature_w": 0}, "stride": {"stride": 0.0},
                 "stride_neg": {"stride": -4.0}, "sizes": {"sizes": []}, "ratios": {"aspect_ratios": []},
                 "size0": {"sizes": [16.0, 0.0]}, "ratio0": {"aspect_ratios": [1.0, 0.0]}}[bad])
    with pytest.raises(ValueError):
        kata.anchor_grid(**args)
        pytest.fail(f"anchor_grid({args}) returned instead of raising ValueError")
