"""Tests for ml-02-4, ROC curve and AUC.

References: sklearn.metrics.roc_curve (with and without drop_intermediate) and roc_auc_score on the
same labels and scores, many of them tied; a brute-force count over all (positive, negative) pairs,
ties counting one half; and AUC's invariances (strictly increasing transforms of the scores, and
AUC(−s) = 1 − AUC(s)).
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import metrics

from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


@st.composite
def scored_labels(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Labels with both classes, and scores that are often tied (a few distinct levels) or all distinct.
    Scores are dyadic, so every implementation compares and counts them exactly."""
    n = draw(st.integers(2, 40))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 1)))
    if y.min() == y.max():  # both classes must be present: flip one drawn label
        y[draw(st.integers(0, n - 1))] ^= 1
    if draw(st.booleans()):
        levels = draw(st.integers(1, 6))
        score = draw(hnp.arrays(np.float64, (n,), elements=st.integers(0, levels - 1).map(lambda v: v / 4)))
    else:
        # distinct multiples of 1/64: order-preserving transforms cannot round two of them together
        score = draw(hnp.arrays(np.float64, (n,), elements=st.integers(-320, 320).map(lambda v: v / 64), unique=True))
    return y, score


# Exact dyadic values: every fpr/tpr is a ratio of small integers, computed the same way everywhere.
EXACT = dict(rtol=0, atol=1e-12)
TIES_ACROSS_CLASSES = (np.array([0, 1, 1, 0, 1, 0]), np.array([0.5, 0.5, 0.75, 0.25, 0.25, 0.5]))
COLLINEAR = (np.array([1, 1, 0, 1, 0, 0, 0]), np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0]))
# Ties make corners where only one count bends: the middle point of each must be kept by drop_intermediate.
TPS_ONLY_CORNER = (np.array([1, 1, 0, 0]), np.array([3.0, 2.0, 2.0, 1.0]))  # fps straight, tps bends
FPS_ONLY_CORNER = (np.array([1, 0, 1, 1, 0, 0]), np.array([4.0, 3.0, 3.0, 2.0, 1.0, 1.0]))  # tps straight, fps bends


def pair_count_auc(y: np.ndarray, s: np.ndarray) -> float:
    pos, neg = s[y == 1][:, None], s[y == 0][None, :]
    return float(np.mean((pos > neg) + 0.5 * (pos == neg)))


@given(data=scored_labels(), drop_intermediate=st.booleans())
@example(data=TIES_ACROSS_CLASSES, drop_intermediate=False)
@example(data=COLLINEAR, drop_intermediate=True)
@example(data=TPS_ONLY_CORNER, drop_intermediate=True)
@example(data=FPS_ONLY_CORNER, drop_intermediate=True)
@example(data=(np.array([0, 1]), np.array([0.25, 0.75])), drop_intermediate=True)  # two points: nothing to drop
@example(data=(np.array([1, 0, 1, 0, 1, 0]), np.array([3.0, 3.0, 2.0, 2.0, 1.0, 1.0])),
         drop_intermediate=True)  # exactly 3 points on a diagonal: the middle one goes
@example(data=(np.array([1, 1, 0, 0]), np.array([1.0, 1.0, 1.0, 1.0])), drop_intermediate=True)  # one level
def test_roc_curve_matches_sklearn(kata, data, drop_intermediate):
    y, s = data
    call = describe_call("roc_curve", y, s, drop_intermediate=drop_intermediate)
    try:
        fpr, tpr, thr = call_unmodified(kata.roc_curve, y, s, drop_intermediate=drop_intermediate)
    except IndexError as e:
        n_distinct = len(np.unique(s))
        raise AssertionError(f"{call} raised IndexError ({e}) with {n_distinct} distinct score(s): with fewer than 3 "
                             "points there is no interior point, so drop_intermediate keeps them all") from None
    want_fpr, want_tpr, want_thr = metrics.roc_curve(y, s, drop_intermediate=drop_intermediate)
    n_distinct = len(np.unique(s))
    if len(thr) != len(want_thr):
        hint = ""
        if len(thr) == len(want_thr) - 1:
            hint = " (one short: did you put the extra first point (0, 0) with threshold inf?)"
        elif not drop_intermediate and len(thr) == len(s) + 1 > n_distinct + 1:
            hint = f" (one per sample: tied scores must share one threshold; {n_distinct} distinct scores here)"
        raise AssertionError(f"{call} returned {len(thr)} points, sklearn {len(want_thr)}{hint}\n"
                             f"  thresholds: got {np.asarray(thr).tolist()}\n  expected {want_thr.tolist()}")
    assert np.asarray(thr)[0] == np.inf, (
        f"{call}: thresholds[0] = {np.asarray(thr)[0]!r}; the first point is the extra one with threshold inf")
    assert_close(np.asarray(thr)[1:], want_thr[1:], **EXACT, name="thresholds[1:] (the distinct scores, decreasing)",
                 call=call)
    assert_close(fpr, want_fpr, **EXACT, name="fpr", call=call)
    assert_close(tpr, want_tpr, **EXACT, name="tpr", call=call)


@given(data=scored_labels())
@example(data=TIES_ACROSS_CLASSES)
@example(data=(np.array([0, 1]), np.array([0.5, 0.5])))  # one tie between the classes: AUC 1/2
def test_roc_auc_score_matches_sklearn_and_pair_counting(kata, data):
    y, s = data
    call = describe_call("roc_auc_score", y, s)
    got = call_unmodified(kata.roc_auc_score, y, s)
    assert_close(got, metrics.roc_auc_score(y, s), rtol=0, atol=1e-12, name="AUC (vs sklearn)", call=call)
    assert_close(got, pair_count_auc(y, s), rtol=0, atol=1e-12,
                 name="AUC (vs P(s₊ > s₋) + ½ P(s₊ = s₋) over all pairs)", call=call)


@given(data=scored_labels())
@example(data=TIES_ACROSS_CLASSES)
@example(data=(np.array([1, 0, 1, 0]), np.array([2.0, 2.0, 2.0, 2.0])))  # all tied: exactly 1/2
def test_auc_by_ranks_matches_pair_counting(kata, data):
    y, s = data
    call = describe_call("auc_by_ranks", y, s)
    got = call_unmodified(kata.auc_by_ranks, y, s)
    assert_close(got, pair_count_auc(y, s), rtol=0, atol=1e-12,
                 name="AUC from average ranks (vs counting all pairs, ties ½)", call=call)


@given(data=scored_labels(), a=st.floats(0.25, 4.0), b=st.floats(-3.0, 3.0))
def test_auc_depends_only_on_the_order_of_scores(kata, data, a, b):
    y, s = data
    base = kata.roc_auc_score(y, s)
    call = describe_call("roc_auc_score", y, s)
    # exp(a·s + b) is strictly increasing: the same ranking, the same AUC (and the same curve).
    assert_close(kata.roc_auc_score(y, np.exp(a * s + b)), base, rtol=0, atol=1e-12,
                 name="AUC of exp(a·s + b) (a strictly increasing transform)", call=call)
    assert_close(kata.roc_auc_score(y, -s), 1 - base, rtol=0, atol=1e-12, name="AUC of -s (= 1 - AUC of s)",
                 call=call)
    fpr, tpr, _ = kata.roc_curve(y, s)
    assert_shape(tpr, np.shape(fpr), name="tpr (same length as fpr)", call=call)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0), (
        f"roc_curve{describe_call('', y, s)}: fpr and tpr must be non-decreasing, got fpr={np.asarray(fpr).tolist()}, "
        f"tpr={np.asarray(tpr).tolist()}: are the thresholds in decreasing order?")


@given(n=st.integers(1, 10), label=st.integers(0, 1))
def test_a_single_class_raises(kata, n, label):
    y, s = np.full(n, label), np.linspace(0, 1, n)
    for name in ("roc_curve", "roc_auc_score", "auc_by_ranks"):
        with pytest.raises(ValueError):
            getattr(kata, name)(y, s)
    assert_equal(np.unique(y), [label], name="labels (unchanged)")
