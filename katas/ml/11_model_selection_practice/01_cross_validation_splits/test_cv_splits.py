"""Tests for ml-11-1, K-fold and stratified K-fold cross-validation splits.

Reference: sklearn.model_selection.KFold(n_splits) and StratifiedKFold(n_splits) with shuffle=False,
compared index for index; plus the invariants every stratified split has (the test folds partition
the data, fold sizes differ by at most one, and so does each class's count across folds).
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.model_selection import KFold, StratifiedKFold

from grader.strategies import seeds
from grader.testing import assert_equal, describe_call


@st.composite
def labels(draw: st.DrawFn, min_size: int = 2) -> np.ndarray:
    """Labels in an arbitrary order (first appearance != sorted order), as ints or strings."""
    n = draw(st.integers(min_size, 50))
    n_classes = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(seeds()))
    p = rng.dirichlet(np.ones(n_classes))
    codes = rng.choice(n_classes, size=n, p=p)
    names = draw(st.sampled_from([np.array([7, -3, 0, 12, 5]), np.array(["cat", "ant", "dog", "bee", "eel"])]))
    return names[codes]


def check_splits(got, want, call):
    assert len(got) == len(want), f"{call} returned {len(got)} splits, expected {len(want)}"
    for i, ((tr, te), (w_tr, w_te)) in enumerate(zip(got, want, strict=True)):
        assert_equal(np.asarray(te), w_te, name=f"test indices of fold {i}", call=call)
        assert_equal(np.asarray(tr), w_tr, name=f"train indices of fold {i}", call=call)


@given(n=st.integers(2, 60), k_frac=st.floats(0.0, 1.0))
@example(n=10, k_frac=0.3)  # 10 = 4 + 3 + 3: the first fold gets the extra sample
@example(n=7, k_frac=1.0)  # leave-one-out
@example(n=2, k_frac=0.0)
def test_kfold_matches_sklearn(kata, n, k_frac):
    k = 2 + round(k_frac * (min(n, 10) - 2))
    call = describe_call("kfold_splits", n, k)
    check_splits(kata.kfold_splits(n, k), list(KFold(k).split(np.zeros(n))), call)


@given(n=st.integers(1, 20), extra=st.integers(1, 5))
def test_kfold_rejects_impossible_k(kata, n, extra):
    for k in (n + extra, 1, 0):
        with pytest.raises(ValueError):
            kata.kfold_splits(n, k)
            raise AssertionError(f"{describe_call('kfold_splits', n, k)} did not raise ValueError")


def sklearn_stratified(y, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the least populated class has only ... members"
        return list(StratifiedKFold(k).split(np.zeros(len(y)), y))


@given(y=labels(), k=st.integers(2, 6))
@example(y=np.array([1, 1, 0, 0, 0, 1, 0, 2, 2, 2, 0, 1]), k=3)
@example(y=np.array(["b", "a", "b", "a", "b", "b", "a", "b"]), k=2)  # first appearance: b before a
@example(y=np.array([0, 0, 0, 0, 0, 1]), k=3)  # a class smaller than k
def test_stratified_kfold_matches_sklearn(kata, y, k):
    counts = np.unique(y, return_counts=True)[1]
    if np.all(counts < k):
        return  # impossible: see test_stratified_kfold_rejects_too_small_classes
    call = describe_call("stratified_kfold_splits", y, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = y.copy()
        got = kata.stratified_kfold_splits(y, k)  # the caller's y, which must come back unchanged
    assert_equal(y, before, name="y after the call (the labels must be left alone)", call=call)
    check_splits(got, sklearn_stratified(y, k), call)


@given(y=labels(min_size=6), k=st.integers(2, 6))
def test_stratified_folds_are_balanced_partitions(kata, y, k):
    counts = np.unique(y, return_counts=True)[1]
    if np.all(counts < k):
        return
    call = describe_call("stratified_kfold_splits", y, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        splits = kata.stratified_kfold_splits(y, k)
    tests = [np.asarray(te) for _, te in splits]
    all_test = np.sort(np.concatenate(tests))
    assert np.array_equal(all_test, np.arange(len(y))), f"{call}: the test folds do not partition 0..{len(y) - 1}"
    for i, (tr, te) in enumerate(splits):
        assert np.array_equal(np.sort(np.concatenate([tr, te])), np.arange(len(y))), (
            f"{call}: fold {i}'s train and test indices are not complementary")
    sizes = [len(te) for te in tests]
    assert max(sizes) - min(sizes) <= 1, f"{call}: test fold sizes {sizes} differ by more than one"
    for c in np.unique(y):
        per_fold = [int(np.sum(y[te] == c)) for te in tests]
        assert max(per_fold) - min(per_fold) <= 1, (
            f"{call}: class {c!r} appears {per_fold} times in the test folds: not stratified (should differ by <= 1)")


@given(n_classes=st.integers(1, 4), k=st.integers(3, 6), seed=seeds())
def test_stratified_kfold_rejects_too_small_classes(kata, n_classes, k, seed):
    """If every class has fewer than k members, no fold assignment can put each class in every fold."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), rng.integers(1, k, size=n_classes))
    rng.shuffle(y)
    with pytest.raises(ValueError):
        kata.stratified_kfold_splits(y, k)
