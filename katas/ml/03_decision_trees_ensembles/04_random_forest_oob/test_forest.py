"""Tests for ml-03-4, bagging / random forest with out-of-bag (OOB) estimates.

References: sklearn.ensemble.RandomForestClassifier(oob_score=True) with the same random_state (its
trees get the same seeds, so the same bootstraps and the same trees): probabilities,
oob_decision_function_ and oob_score_; sklearn's own bootstrap sampler; a brute-force OOB average
computed from the bootstrap indices the test supplies; and, with max_features=None, one
DecisionTreeClassifier per tree fitted on the bootstrap counts.
"""
import warnings

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble._forest import _generate_sample_indices  # sklearn 1.9's bootstrap sampler
from sklearn.tree import DecisionTreeClassifier

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# Probabilities are means of <= 25 tree probabilities (fractions of small weighted counts): the
# only differences are the summation order, ~1e-16.
TOL = 1e-12
MAX_FEATURES = st.sampled_from(["sqrt", None, 1, 2])


def dataset(seed: int, n: int, d: int, k: int):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d, n_redundant=0, n_classes=k,
                               n_clusters_per_class=1, flip_y=0.15, class_sep=0.8, random_state=seed)
    X_new = np.random.default_rng(seed).normal(size=(30, d)) * 2
    return X, np.array(["no", "maybe", "yes"])[y], X_new


@given(seed=seeds(), n=st.integers(1, 200))
@example(seed=0, n=1)
def test_draw_bootstrap_matches_sklearn(kata, seed, n):
    got = np.asarray(kata.draw_bootstrap(seed, n))
    want = _generate_sample_indices(seed, n, n, None)
    assert_equal(got, want, name="bootstrap indices", call=describe_call("draw_bootstrap", seed, n))


@given(seed=seeds(), n=st.integers(1, 40), t=st.integers(1, 8))
@example(seed=0, n=1, t=1)  # the only sample is always in the bag
def test_oob_mask_from_supplied_indices(kata, seed, n, t):
    idx = np.random.default_rng(seed).integers(0, n, size=(t, n))
    want = np.array([[i not in set(row.tolist()) for i in range(n)] for row in idx])
    got = np.asarray(kata.oob_mask(idx, n))
    assert_equal(got, want, name="OOB mask (True = sample i is NOT in tree t's bootstrap)",
                 call=describe_call("oob_mask", idx, n))


@settings(max_examples=15)  # each example fits two forests
@given(seed=seeds(), n=st.integers(20, 80), d=st.integers(2, 5), k=st.integers(2, 3),
       n_estimators=st.integers(1, 12), max_features=MAX_FEATURES, max_depth=st.sampled_from([None, 1, 3]))
@example(seed=1, n=20, d=2, k=2, n_estimators=1, max_features="sqrt", max_depth=None)
@example(seed=2, n=80, d=5, k=3, n_estimators=12, max_features="sqrt", max_depth=None)
def test_matches_sklearn_random_forest(kata, seed, n, d, k, n_estimators, max_features, max_depth):
    X, y, X_new = dataset(seed, n, d, k)
    ref = RandomForestClassifier(n_estimators=n_estimators, max_features=max_features, max_depth=max_depth,
                                 oob_score=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Some inputs do not have OOB scores" with few trees
        ref.fit(X, y)
    call = describe_call(f"RandomForest({n_estimators}, max_features={max_features!r}, max_depth={max_depth}, "
                         f"random_state={seed}).fit", X, y)
    ours = kata.RandomForest(n_estimators=n_estimators, max_features=max_features, max_depth=max_depth,
                             random_state=seed)
    assert ours.fit(X, y) is ours, f"{call} must return self"
    want_idx = np.stack([_generate_sample_indices(e.random_state, n, n, None) for e in ref.estimators_])
    assert_equal(np.asarray(ours.bootstrap_indices_), want_idx,
                 name="bootstrap_indices_ (tree t: draw_bootstrap(seeds[t], n))", call=call)
    assert_close(ours.predict_proba(X_new), ref.predict_proba(X_new), rtol=0, atol=TOL,
                 name="predict_proba on new points (the mean of the trees' probabilities)", call=call)
    assert_equal(ours.predict(X_new), ref.predict(X_new), name="predict on new points", call=call)
    has_oob = np.asarray(ours.oob_mask_).any(axis=0)
    assert_close(np.asarray(ours.oob_decision_function_)[has_oob], ref.oob_decision_function_[has_oob], rtol=0,
                 atol=TOL, name="oob_decision_function_ (rows with at least one out-of-bag tree)", call=call)
    if has_oob.all():  # sklearn scores a never-out-of-bag row as class 0; ours leaves it out
        assert_close(ours.oob_score_, ref.oob_score_, rtol=0, atol=TOL, name="oob_score_", call=call)


@given(seed=seeds(), n=st.integers(10, 60), d=st.integers(2, 4), k=st.integers(2, 3), n_estimators=st.integers(1, 12),
       max_features=MAX_FEATURES, keep_in_bag=st.integers(0, 3))
@example(seed=3, n=10, d=2, k=2, n_estimators=1, max_features=None, keep_in_bag=0)
@example(seed=4, n=30, d=3, k=3, n_estimators=6, max_features="sqrt", keep_in_bag=3)
def test_oob_estimates_from_supplied_bootstraps_brute_force(kata, seed, n, d, k, n_estimators, max_features,
                                                              keep_in_bag):
    """OOB probability of row i = mean over the trees whose bootstrap misses i; rows that every tree
    saw get NaN and are left out of oob_score_."""
    X, y, _ = dataset(seed, n, d, k)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_estimators, n))
    idx[:, :keep_in_bag] = np.arange(keep_in_bag)  # rows 0..keep_in_bag-1 are in every bag
    call = describe_call(f"RandomForest({n_estimators}, max_features={max_features!r}).fit", X, y,
                         bootstrap_indices=idx)
    ours = kata.RandomForest(n_estimators=n_estimators, max_features=max_features, random_state=seed)
    # X and the supplied indices are read, never changed (y holds strings, which call_unmodified cannot compare)
    call_unmodified(lambda X, idx: ours.fit(X, y, bootstrap_indices=idx), X, idx, fn_name="fit")
    assert_equal(np.asarray(ours.bootstrap_indices_), idx, name="bootstrap_indices_ (the supplied ones)", call=call)
    oob = np.array([[i not in set(row.tolist()) for i in range(n)] for row in idx])
    assert_equal(np.asarray(ours.oob_mask_), oob, name="oob_mask_", call=call)
    proba = [tree.predict_proba(X) for tree in ours.estimators_]  # every tree on every row, once
    want = np.full((n, len(np.unique(y))), np.nan)
    for i in range(n):
        rows = [proba[t][i] for t in range(n_estimators) if oob[t, i]]
        if rows:
            want[i] = np.mean(rows, axis=0)
    assert_close(np.asarray(ours.oob_decision_function_, dtype=float), want, rtol=0, atol=TOL,
                 name="oob_decision_function_ (NaN for rows in every bag)", call=call)
    has = ~np.isnan(want[:, 0])
    classes = np.unique(y)
    score = float(np.mean(classes[np.argmax(want[has], axis=1)] == y[has])) if has.any() else np.nan
    assert_close(ours.oob_score_, score, rtol=0, atol=TOL,
                 name="oob_score_ (accuracy over the rows that have an OOB prediction)", call=call)


@given(seed=seeds(), n=st.integers(10, 60), d=st.integers(2, 4), n_estimators=st.integers(1, 6),
       max_depth=st.sampled_from([None, 2]))
@example(seed=5, n=10, d=2, n_estimators=3, max_depth=None)
def test_bagging_trees_equal_sklearn_trees_on_the_bootstrap_counts(kata, seed, n, d, n_estimators, max_depth):
    """max_features=None is plain bagging: tree t is a DecisionTreeClassifier fitted with the
    bootstrap counts as sample weights."""
    X, y, X_new = dataset(seed, n, d, 3)
    idx = np.random.default_rng(seed).integers(0, n, size=(n_estimators, n))
    ours = kata.RandomForest(n_estimators=n_estimators, max_features=None, max_depth=max_depth, random_state=seed)
    ours.fit(X, y, bootstrap_indices=idx)
    assert len(ours.estimators_) == n_estimators, f"fitted {len(ours.estimators_)} trees, expected {n_estimators}"
    seeds_ = np.random.RandomState(seed).randint(np.iinfo(np.int32).max, size=n_estimators)
    for t in range(n_estimators):
        ref = DecisionTreeClassifier(max_depth=max_depth, random_state=int(seeds_[t]))
        ref.fit(X, y, sample_weight=np.bincount(idx[t], minlength=n))
        got = ours.estimators_[t].predict_proba(X_new)
        assert_close(got, ref.predict_proba(X_new), rtol=0, atol=TOL, name=f"tree {t}'s probabilities", call=(
            f"estimators_[{t}] of RandomForest(max_features=None).fit(X, y, bootstrap_indices) vs "
            f"DecisionTreeClassifier().fit(X, y, sample_weight=np.bincount(indices[{t}], minlength=n))"))


@given(copies=st.integers(1, 4), n_estimators=st.integers(1, 3), value=st.integers(-3, 3))
@example(copies=1, n_estimators=1, value=0)
def test_one_distinct_value_ties_to_the_first_class_and_full_bags_have_no_oob(kata, copies, n_estimators, value):
    """Constant X: every tree is one leaf holding its bag's class fractions. Each bag takes every row once,
    so every leaf is 50/50 (predict: the first class on a tie), and no row is ever out of bag."""
    n = 2 * copies
    X = np.full((n, 2), float(value))
    y = np.array(["yes", "no"] * copies)
    idx = np.tile(np.arange(n), (n_estimators, 1))
    call = describe_call(f"RandomForest({n_estimators}, max_features=None).fit", X, y, bootstrap_indices=idx)
    ours = kata.RandomForest(n_estimators=n_estimators, max_features=None).fit(X, y, bootstrap_indices=idx)
    assert_close(ours.predict_proba(X[:1]), [[0.5, 0.5]], rtol=0, atol=TOL, name="predict_proba", call=call)
    assert_equal(ours.predict(X[:1]), ["no"], name="predict on a 50/50 vote (classes_[0] = 'no' on a tie)", call=call)
    assert np.all(np.isnan(np.asarray(ours.oob_decision_function_, dtype=float))), (
        f"{call}: every row is in every bag, so every row of oob_decision_function_ must be NaN")
    assert np.isnan(ours.oob_score_), f"{call}: no row has an OOB prediction, so oob_score_ must be NaN, got {ours.oob_score_!r}"
