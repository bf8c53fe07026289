"""Tests for prod-05-2, reweighing and threshold adjustment.

References: the reweighing weights counted cell by cell with Python loops; the independence they
promise (every group's weighted positive rate = the overall rate); a logistic regression
(sklearn) trained with and without them, compared on held-out data; and, for thresholds, exact
selection counts on the fitting data plus the stated rate reached on a held-out sample.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

LABELS = st.sampled_from([np.array([0, 1]), np.array(["a", "b", "c"])])


def population(seed: int, labels: np.ndarray, n_per: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores, labels and groups: group j's scores are shifted by j / 2, and its base rate differs."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(labels, n_per)
    shift = np.repeat(np.arange(labels.size) / 2, n_per)
    scores = rng.normal(size=groups.size) + shift
    y = (rng.random(groups.size) < 1 / (1 + np.exp(-2 * scores))).astype(int)
    return scores, y, groups


@given(seed=seeds(), labels=LABELS, n_per=st.integers(2, 12))
@example(seed=0, labels=np.array([0, 1]), n_per=2)
@example(seed=5, labels=np.array(["a", "b", "c"]), n_per=6)
def test_reweighing_matches_cell_counts(kata, seed, labels, n_per):
    _, y, groups = population(seed, labels, n_per)
    y[0], y[1] = 0, 1                                       # both labels occur
    call = describe_call("reweighing_weights", y, groups)
    w = call_unmodified(kata.reweighing_weights, y, groups)
    n = y.size
    want = []
    for yi, gi in zip(y.tolist(), groups.tolist(), strict=True):
        n_g = sum(1 for h in groups.tolist() if h == gi)
        n_y = sum(1 for t in y.tolist() if t == yi)
        n_gy = sum(1 for t, h in zip(y.tolist(), groups.tolist(), strict=True) if t == yi and h == gi)
        want.append((n_g / n) * (n_y / n) / (n_gy / n))
    assert_close(w, want, rtol=1e-12, atol=0, name="weights", call=call)
    if any(len(set(y[groups == g].tolist())) < 2 for g in np.unique(groups)):
        return                             # a group with one label cannot be made independent of it
    assert_close(np.sum(w), n, rtol=1e-12, atol=0, name="sum of the weights", call=call)
    for g in np.unique(groups):
        m = groups == g
        assert_close(np.sum(w[m] * y[m]) / np.sum(w[m]), y.mean(), rtol=1e-12, atol=1e-12,
                     name=f"weighted positive rate of group {g!r}", call=call)


@settings(max_examples=4)
@given(seed=seeds())
def test_reweighing_reduces_parity_gap_of_a_trained_model(kata, seed):
    """A model trained on reweighed data selects the two groups at closer rates on held-out data."""
    rng = np.random.default_rng(seed)

    def sample(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        g = rng.integers(0, 2, n)
        x = rng.normal(size=n) + 0.3 * g
        y = (rng.random(n) < 1 / (1 + np.exp(-(x + 2.0 * g - 1.0)))).astype(int)
        return np.column_stack([x, g]), y, g

    X, y, g = sample(1500)
    X_test, _, g_test = sample(3000)
    gaps = {}
    for name, w in (("plain", None), ("reweighed", kata.reweighing_weights(y, g))):
        pred = LogisticRegression().fit(X, y, sample_weight=w).predict(X_test)
        gaps[name] = abs(pred[g_test == 1].mean() - pred[g_test == 0].mean())
    assert gaps["reweighed"] < gaps["plain"] - 0.4, (
        f"demographic parity gap on held-out data: {gaps['plain']:.3f} trained plainly, {gaps['reweighed']:.3f} "
        "trained with reweighing_weights; expected reweighing to cut it by more than 0.4 (it cuts about 0.75 to 0.15)")


def expected_k(fraction: float, n: int) -> int:
    return math.ceil(round(fraction * n, 9))


@given(seed=seeds(), labels=LABELS, n_per=st.integers(1, 15), rate=st.sampled_from([0.1, 0.14, 0.3, 0.5, 0.7, 1.0]))
@example(seed=0, labels=np.array([0, 1]), n_per=50, rate=0.14)     # 0.14 * 50 = 7.000000000000001 in floats: k = 7
@example(seed=0, labels=np.array([0, 1]), n_per=1, rate=0.1)       # k = 1: the single score
@example(seed=1, labels=np.array([0, 1]), n_per=7, rate=1.0)       # everyone: the minimum
def test_parity_thresholds_select_exactly_k_per_group(kata, seed, labels, n_per, rate):
    scores, _, groups = population(seed, labels, n_per)
    call = describe_call("parity_thresholds", scores, groups, rate)
    t = call_unmodified(kata.parity_thresholds, scores, groups, rate)
    assert set(t) == set(labels.tolist()), f"{call} returned thresholds for {sorted(t)}, expected {labels.tolist()}"
    for g in labels.tolist():
        s = np.sort(scores[groups == g])[::-1]
        k = expected_k(rate, s.size)
        assert_close(t[g], s[k - 1], rtol=0, atol=0, name=f"threshold of group {g!r} (the k = {k}-th largest score)",
                     call=call)
    picked = kata.apply_thresholds(scores, groups, t)
    for g in labels.tolist():
        assert_equal(int(picked[groups == g].sum()), expected_k(rate, n_per),
                     name=f"number selected in group {g!r}", call=describe_call("apply_thresholds", scores, groups, t))


@settings(max_examples=10)
@given(seed=seeds(), rate=st.sampled_from([0.2, 0.5, 0.8]))
def test_parity_holds_on_held_out_data(kata, seed, rate):
    labels = np.array(["a", "b", "c"])
    scores, _, groups = population(seed, labels, 1000)
    t = kata.parity_thresholds(scores, groups, rate)
    test_scores, _, test_groups = population(seed + 1, labels, 4000)
    picked = kata.apply_thresholds(test_scores, test_groups, t)
    rates = [picked[test_groups == g].mean() for g in labels]
    # threshold fitted on 1000 examples (sd <= 0.016) applied to 4000: 0.07 is more than 4 standard deviations
    assert_close(rates, [rate] * 3, rtol=0, atol=0.07, name="held-out selection rates per group",
                 call=describe_call("parity_thresholds", scores, groups, rate))


@given(seed=seeds(), labels=LABELS, n_per=st.integers(4, 15), tpr=st.sampled_from([0.2, 0.5, 0.75, 1.0]))
@example(seed=3, labels=np.array([0, 1]), n_per=4, tpr=1.0)
def test_opportunity_thresholds_use_the_positives(kata, seed, labels, n_per, tpr):
    scores, y, groups = population(seed, labels, n_per)
    for g in labels:                       # every group has a positive and a negative
        idx = np.flatnonzero(groups == g)
        y[idx[0]], y[idx[1]] = 1, 0
    call = describe_call("opportunity_thresholds", scores, y, groups, tpr)
    t = call_unmodified(kata.opportunity_thresholds, scores, y, groups, tpr)
    picked = kata.apply_thresholds(scores, groups, t)
    for g in labels.tolist():
        pos = scores[(groups == g) & (y == 1)]
        k = expected_k(tpr, pos.size)
        assert_close(t[g], np.sort(pos)[::-1][k - 1], rtol=0, atol=0,
                     name=f"threshold of group {g!r} (the k = {k}-th largest positive score)", call=call)
        assert_equal(int(picked[(groups == g) & (y == 1)].sum()), k, name=f"true positives in group {g!r}", call=call)


@settings(max_examples=10)
@given(seed=seeds(), tpr=st.sampled_from([0.3, 0.6, 0.9]))
def test_equal_opportunity_holds_on_held_out_data(kata, seed, tpr):
    labels = np.array([0, 1])
    scores, y, groups = population(seed, labels, 2000)
    t = kata.opportunity_thresholds(scores, y, groups, tpr)
    test_scores, test_y, test_groups = population(seed + 1, labels, 4000)
    picked = kata.apply_thresholds(test_scores, test_groups, t)
    rates = [picked[(test_groups == g) & (test_y == 1)].mean() for g in labels]
    # at least ~700 positives per group to fit, ~1400 to test: 0.07 is more than 4 standard deviations
    assert_close(rates, [tpr, tpr], rtol=0, atol=0.07, name="held-out true-positive rates per group",
                 call=describe_call("opportunity_thresholds", scores, y, groups, tpr))


def test_apply_thresholds_selects_a_score_equal_to_its_threshold(kata):
    scores, groups = np.array([0.5, 0.4, 0.5, 0.9]), np.array(["a", "a", "b", "b"])
    t = {"a": 0.5, "b": 0.6}
    got = call_unmodified(kata.apply_thresholds, scores, groups, t)
    assert_equal(got, [True, False, False, True], name="selected", call=describe_call("apply_thresholds", scores,
                                                                                     groups, t))


def test_rejects_bad_inputs(kata):
    s, g, y = np.array([0.1, 0.5, 0.2, 0.9]), np.array([0, 0, 1, 1]), np.array([1, 0, 1, 0])
    cases = [
        ("reweighing_weights", (np.array([]), np.array([])), "empty arrays"),
        ("reweighing_weights", (y[:3], g), "lengths 3 and 4"),
        ("reweighing_weights", (np.array([0, 2, 1, 0]), g), "a label of 2"),
        ("reweighing_weights", (y.reshape(2, 2), g.reshape(2, 2)), "2-D arrays"),
        ("parity_thresholds", (s, g, 0.0), "rate 0"), ("parity_thresholds", (s, g, 1.5), "rate 1.5"),
        ("parity_thresholds", (s, g[:3], 0.5), "lengths 4 and 3"),
        ("parity_thresholds", (np.array([]), np.array([]), 0.5), "empty arrays"),
        ("opportunity_thresholds", (s, y, g, 0.0), "tpr 0"), ("opportunity_thresholds", (s, y, g, 1.01), "tpr 1.01"),
        ("opportunity_thresholds", (s, np.array([1, 1, 0, 0]), g, 0.5), "a group with no positive"),
        ("opportunity_thresholds", (s, np.array([1, 3, 1, 0]), g, 0.5), "a label of 3"),
        ("opportunity_thresholds", (s, y[:3], g, 0.5), "a short y"),
        ("apply_thresholds", (s, g, {0: 0.3}), "no threshold for group 1"),
    ]
    for name, args, why in cases:
        with pytest.raises(ValueError):
            getattr(kata, name)(*args)
            pytest.fail(f"{name} with {why} returned instead of raising ValueError")
