"""Tests for prod-05-1, group fairness metrics.

References: fairlearn.metrics (demographic_parity_difference, demographic_parity_ratio,
equalized_odds_difference with the default worst-case aggregation) and per-group rates counted by
brute force with Python loops.
"""
import warnings

import numpy as np
import pytest
from fairlearn.metrics import demographic_parity_difference as fl_dpd
from fairlearn.metrics import demographic_parity_ratio as fl_dpr
from fairlearn.metrics import equalized_odds_difference as fl_eod
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

LABELS = st.sampled_from([np.array([0, 1]), np.array([3, 7, 9]), np.array(["f", "m", "x", "z"])])


@st.composite
def audits(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y_true, y_pred, groups) where every group has a positive and a negative true label."""
    rng = np.random.default_rng(draw(seeds()))
    labels = draw(LABELS)
    per = draw(st.integers(2, 8))
    groups = np.repeat(labels, per)
    y_true = np.tile(np.r_[0, 1, rng.integers(0, 2, per - 2)], labels.size)
    bias = rng.uniform(0.1, 0.9, labels.size)
    y_pred = (rng.random(groups.size) < np.repeat(bias, per)).astype(int)
    perm = rng.permutation(groups.size)
    if draw(st.booleans()):
        y_pred = y_pred.astype(bool)
    return y_true[perm], y_pred[perm], groups[perm]


def rates_by_loop(y_pred: np.ndarray, groups: np.ndarray) -> dict:
    out = {}
    for g in sorted(set(groups.tolist())):
        members = [int(p) for p, h in zip(y_pred.tolist(), groups.tolist(), strict=True) if h == g]
        out[g] = sum(members) / len(members)
    return out


@given(audit=audits())
@example(audit=(np.array([0, 1]), np.array([1, 1]), np.array(["a", "a"])))        # one group
def test_selection_rates(kata, audit):
    _, y_pred, groups = audit
    call = describe_call("selection_rates", y_pred, groups)
    labels, rates = call_unmodified(kata.selection_rates, y_pred, groups)
    want = rates_by_loop(y_pred, groups)
    assert_equal(np.asarray(labels), np.array(list(want)), name="group labels (sorted)", call=call)
    assert_close(rates, list(want.values()), rtol=0, atol=1e-15, name="selection rates", call=call)


@settings(max_examples=5)
@given(audit=audits())
@example(audit=(np.array([0, 1, 0, 1]), np.array([1, 0, 1, 1]), np.array([2, 2, 2, 2])))   # one group: 0 and 1
def test_demographic_parity_matches_fairlearn(kata, audit):
    y_true, y_pred, groups = audit
    call = describe_call("demographic_parity_difference", y_pred, groups)
    got = call_unmodified(kata.demographic_parity_difference, y_pred, groups)
    assert_close(got, fl_dpd(y_true, y_pred, sensitive_features=groups), rtol=0, atol=1e-12,
                 name="demographic parity difference", call=call)
    got = call_unmodified(kata.disparate_impact, y_pred, groups)
    assert_close(got, fl_dpr(y_true, y_pred, sensitive_features=groups), rtol=1e-12, atol=1e-12,
                 name="disparate impact (min rate / max rate)", call=describe_call("disparate_impact", y_pred, groups))


@given(audit=audits(), pick=st.integers(0, 3))
@example(audit=(np.array([0, 1, 0, 1]), np.array([1, 1, 0, 1]), np.array(["p", "p", "u", "u"])), pick=0)
def test_disparate_impact_against_a_privileged_group(kata, audit, pick):
    _, y_pred, groups = audit
    rates = rates_by_loop(y_pred, groups)
    privileged = list(rates)[pick % len(rates)]
    if isinstance(privileged, str):
        privileged = str(privileged)
    call = describe_call("disparate_impact", y_pred, groups, privileged=privileged)
    if rates[privileged] == 0:
        with pytest.raises(ValueError):
            kata.disparate_impact(y_pred, groups, privileged=privileged)
            pytest.fail(f"{call} with a privileged selection rate of 0 returned instead of raising ValueError")
        return
    want = min(r / rates[privileged] for g, r in rates.items() if g != privileged)
    got = call_unmodified(kata.disparate_impact, y_pred, groups, privileged=privileged)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="min_g rate_g / rate_privileged", call=call)


@settings(max_examples=5)
@given(audit=audits())
@example(audit=(np.array([0, 1, 0, 1]), np.array([1, 1, 0, 1]), np.array([5, 5, 6, 6])))    # FPR gap 1, TPR gap 0
@example(audit=(np.array([0, 1, 0, 1]), np.array([0, 1, 0, 0]), np.array([5, 5, 6, 6])))    # TPR gap 1, FPR gap 0
def test_equalized_odds_matches_fairlearn(kata, audit):
    y_true, y_pred, groups = audit
    call = describe_call("equalized_odds_difference", y_true, y_pred, groups)
    got = call_unmodified(kata.equalized_odds_difference, y_true, y_pred, groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = fl_eod(y_true, y_pred, sensitive_features=groups)
    assert_close(got, want, rtol=0, atol=1e-12, name="equalized odds difference", call=call)


@given(audit=audits())
def test_equalized_odds_matches_rates_counted_by_loop(kata, audit):
    y_true, y_pred, groups = audit
    tpr, fpr = [], []
    for g in set(groups.tolist()):
        pairs = [(int(t), int(p)) for t, p, h in zip(y_true.tolist(), y_pred.tolist(), groups.tolist(), strict=True)
                 if h == g]
        tpr.append(sum(p for t, p in pairs if t == 1) / sum(1 for t, _ in pairs if t == 1))
        fpr.append(sum(p for t, p in pairs if t == 0) / sum(1 for t, _ in pairs if t == 0))
    want = max(max(tpr) - min(tpr), max(fpr) - min(fpr))
    assert_close(kata.equalized_odds_difference(y_true, y_pred, groups), want, rtol=0, atol=1e-12,
                 name="max(TPR gap, FPR gap)", call=describe_call("equalized_odds_difference", y_true, y_pred, groups))


def test_perfect_classifier_has_equalized_odds_but_not_parity(kata):
    """Equal error rates do not imply equal selection rates when base rates differ."""
    y_true = np.array([1, 1, 1, 0, 1, 0, 0, 0])
    groups = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    assert_close(kata.equalized_odds_difference(y_true, y_true, groups), 0.0, rtol=0, atol=0,
                 name="equalized odds difference of y_pred = y_true", call=describe_call(
                     "equalized_odds_difference", y_true, y_true, groups))
    assert_close(kata.demographic_parity_difference(y_true, groups), 0.5, rtol=0, atol=1e-15,
                 name="demographic parity difference (0.75 - 0.25)", call=describe_call(
                     "demographic_parity_difference", y_true, groups))
    assert_close(kata.disparate_impact(y_true, groups, privileged="a"), 1 / 3, rtol=1e-12, atol=0,
                 name="disparate impact (0.25 / 0.75)", call=describe_call("disparate_impact", y_true, groups,
                                                                            privileged="a"))


def test_rejects_bad_inputs(kata):
    g = np.array([0, 0, 1, 1])
    cases = [
        ("selection_rates", (np.array([]), np.array([])), {}, "empty arrays"),
        ("selection_rates", (np.array([0, 1, 1]), g), {}, "lengths 3 and 4"),
        ("selection_rates", (np.array([0, 2, 1, 0]), g), {}, "a prediction of 2"),
        ("selection_rates", (np.ones((2, 2)), np.zeros((2, 2))), {}, "2-D arrays"),
        ("selection_rates", (np.array([0, 1, 1, 0]), g.reshape(2, 2)), {}, "2-D groups"),
        ("equalized_odds_difference", (np.array([0, 1, 0, 1]), np.array([1, 0, 1, 1]), g.reshape(2, 2)), {},
         "2-D groups"),
        ("demographic_parity_difference", (np.array([0, 1, 1]), g), {}, "lengths 3 and 4"),
        ("disparate_impact", (np.array([0, 0, 0, 0]), g), {}, "all selection rates 0"),
        ("disparate_impact", (np.array([0, 0, 1, 1]), g), {"privileged": 0}, "a privileged rate of 0"),
        ("disparate_impact", (np.array([1, 0, 1, 1]), g), {"privileged": 7}, "an unknown privileged group"),
        ("disparate_impact", (np.array([1, 0, 1, 1]), np.zeros(4)), {"privileged": 0.0}, "a single group"),
        ("equalized_odds_difference", (np.array([1, 1, 0, 1]), np.array([1, 0, 1, 1]), g), {},
         "a group with no negative example"),
        ("equalized_odds_difference", (np.array([0, 0, 0, 1]), np.array([1, 0, 1, 1]), g), {},
         "a group with no positive example"),
        ("equalized_odds_difference", (np.array([0, 1, 0, 1]), np.array([1, 0, 1]), g), {}, "a short y_pred"),
        ("equalized_odds_difference", (np.array([0, 1, 0, 3]), np.array([1, 0, 1, 1]), g), {}, "a label of 3"),
    ]
    for name, args, kwargs, why in cases:
        with pytest.raises(ValueError):
            getattr(kata, name)(*args, **kwargs)
            pytest.fail(f"{name} with {why} returned instead of raising ValueError")
