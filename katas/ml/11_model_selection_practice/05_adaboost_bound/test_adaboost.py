"""Tests for ml-11-5, AdaBoost (SAMME) with decision stumps and its training-error bound.

Reference: sklearn.ensemble.AdaBoostClassifier(DecisionTreeClassifier(max_depth=1)) with the same
random_state, on subsamples of scikit-learn's bundled data sets: per-round errors and estimator
weights, the number of rounds, and the staged predictions. Rounds are compared while both runs
chose stumps that classify the training set identically; if the stumps differ, the two splits must
be exact ties (equal impurity decrease), after which the runs are no longer comparable. Freund &
Schapire's bound, training error after t rounds <= prod_{s<=t} 2 sqrt(eps_s (1 - eps_s)), must hold at
every round of your own run on binary problems.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

DATA = {"breast_cancer": load_breast_cancer(return_X_y=True), "iris": load_iris(return_X_y=True),
        "wine": load_wine(return_X_y=True)}
# errors are weighted sums of 0/1 values, weights logs of ratios: float64 to ~1e-13.
RTOL, ATOL = 1e-9, 1e-12


def subsample(name: str, seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = DATA[name]
    idx = np.random.default_rng(seed).choice(len(X), size=min(n, len(X)), replace=False)
    return X[idx], y[idx]


def sklearn_adaboost(X, y, n_estimators: int, random_state: int) -> AdaBoostClassifier:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=n_estimators,
                                  random_state=random_state).fit(X, y)


def split_gain(stump) -> float:
    """Weighted Gini decrease of a fitted stump (0 for a stump that did not split)."""
    t = stump.tree_
    if t.node_count == 1:
        return 0.0
    W, imp = t.weighted_n_node_samples, t.impurity
    return float(W[0] * imp[0] - W[1] * imp[1] - W[2] * imp[2])


def compare_with_sklearn(got, ref, X, y, call) -> int:
    """Compare round by round; return the number of rounds that were comparable."""
    n_rounds = min(len(got.estimators_), len(ref.estimators_))
    for t in range(n_rounds):
        mine, theirs = got.estimators_[t], ref.estimators_[t]
        if not np.array_equal(mine.predict(X), theirs.predict(X)):
            g_mine, g_ref = split_gain(mine), split_gain(theirs)
            assert abs(g_mine - g_ref) <= 1e-9, (
                f"{call}: round {t} chose a stump that splits the training set differently from sklearn's, and "
                f"it is not a tie (weighted Gini decrease {g_mine:.12g} vs {g_ref:.12g}): the sample weights "
                f"going into round {t} must differ. Errors so far: {np.round(got.estimator_errors_[:t], 6).tolist()}")
            return t  # an exact tie broken the other way: the runs diverge from here on
        assert_close(got.estimator_errors_[t], ref.estimator_errors_[t], rtol=RTOL, atol=ATOL,
                     name=f"estimator_errors_[{t}] (weighted error of round {t})", call=call)
        assert_close(got.estimator_weights_[t], ref.estimator_weights_[t], rtol=RTOL, atol=ATOL,
                     name=f"estimator_weights_[{t}] (log((1 - err) / err) + log(K - 1))", call=call)
    assert len(got.estimators_) == len(ref.estimators_), (
        f"{call} kept {len(got.estimators_)} stumps, sklearn {len(ref.estimators_)}: stop after a perfect stump "
        "(keep it) or before one no better than chance (drop it)")
    assert_close(got.estimator_errors_, ref.estimator_errors_, rtol=RTOL, atol=ATOL,
                 name="estimator_errors_ (1.0 for rounds that never ran)", call=call)
    assert_close(got.estimator_weights_, ref.estimator_weights_, rtol=RTOL, atol=ATOL,
                 name="estimator_weights_ (0.0 for rounds that never ran)", call=call)
    for t, (p, q) in enumerate(zip(got.staged_predict(X), ref.staged_predict(X), strict=True)):
        assert_equal(np.asarray(p), q, name=f"staged_predict after round {t}", call=call)
    assert_equal(np.asarray(got.predict(X)), ref.predict(X), name="predict (the whole ensemble)", call=call)
    return n_rounds


# Two features that split the data differently with exactly the same Gini gain: which one a stump
# takes depends only on its random_state, i.e. on the RandomState(random_state) stream.
TIED_X = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
TIED_Y = np.array([0, 0, 1, 1])


@settings(max_examples=3)  # each random_state fits two small AdaBoosts
@given(first=st.integers(0, 2**31 - 100))
@example(first=0)  # random_states 0 and 7 take feature 0, most others feature 1
@example(first=2)
def test_random_state_seeds_the_stumps_as_sklearn_does(kata, first):
    """rs = np.random.RandomState(random_state) hands each stump its seed, so even an exact tie
    between two splits is broken as in sklearn's AdaBoostClassifier with the same random_state."""
    for random_state in range(first, first + 6):
        call = describe_call(f"AdaBoostSAMME(n_estimators=1, random_state={random_state}).fit", TIED_X, TIED_Y)
        got = kata.AdaBoostSAMME(n_estimators=1, random_state=random_state).fit(TIED_X, TIED_Y)
        ref = sklearn_adaboost(TIED_X, TIED_Y, 1, random_state)
        assert_equal(np.asarray(got.predict(TIED_X)), ref.predict(TIED_X),
                     name="predictions of the first stump (a tie broken by the stump's random_state)", call=call)


@settings(max_examples=10)  # each example fits up to 40 trees
@given(name=st.sampled_from(sorted(DATA)), seed=seeds(), n=st.integers(40, 150), T=st.integers(1, 20))
@example(name="iris", seed=0, n=150, T=10)  # three classes: log(K - 1) matters
@example(name="breast_cancer", seed=1, n=120, T=15)
def test_rounds_match_sklearn_samme(kata, name, seed, n, T):
    X, y = subsample(name, seed, n)
    random_state = seed % 2**31
    call = describe_call(f"AdaBoostSAMME(n_estimators={T}, random_state={random_state}).fit", X, y)
    got = call_unmodified(kata.AdaBoostSAMME(n_estimators=T, random_state=random_state).fit, X, y)
    compare_with_sklearn(got, sklearn_adaboost(X, y, T, random_state), X, y, call)


def check_bound(kata, X, y, T, random_state):
    call = describe_call(f"AdaBoostSAMME(n_estimators={T}, random_state={random_state}).fit", X, y)
    model = kata.AdaBoostSAMME(n_estimators=T, random_state=random_state).fit(X, y)
    rounds = len(model.estimators_)
    errors = np.asarray(model.estimator_errors_, dtype=np.float64)[:rounds]
    bound = np.asarray(kata.error_bound(errors), dtype=np.float64)
    assert_close(bound, np.cumprod(2 * np.sqrt(errors * (1 - errors))), rtol=1e-12, atol=1e-15,
                 name="error_bound(estimator_errors_)", call=call)
    train_err = np.array([np.mean(np.asarray(p) != y) for p in model.staged_predict(X)])
    assert len(train_err) == rounds, f"{call}: staged_predict gave {len(train_err)} stages for {rounds} stumps"
    above = np.flatnonzero(train_err > bound + 1e-12)
    assert above.size == 0, (
        f"{call}: after round {above[0]} the training error {train_err[above[0]]:.4f} exceeds the bound "
        f"{bound[above[0]]:.4f}; errors per round {np.round(errors, 4).tolist()}")


@settings(max_examples=12)
@given(seed=seeds(), n=st.integers(40, 150), T=st.integers(1, 25))
@example(seed=2, n=150, T=25)
def test_training_error_bound_holds_on_breast_cancer(kata, seed, n, T):
    X, y = subsample("breast_cancer", seed, n)
    check_bound(kata, X, y, T, seed % 2**31)


@settings(max_examples=12)
@given(seed=seeds(), n=st.integers(30, 120), d=st.integers(2, 6), flip=st.sampled_from([0.0, 0.1, 0.3]),
       T=st.integers(1, 25))
def test_training_error_bound_holds_on_generated_data(kata, seed, n, d, flip, T):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=2, n_redundant=0, flip_y=flip,
                               random_state=seed % 2**31)
    check_bound(kata, X, y, T, seed % 2**31)


@given(errors=st.lists(st.floats(0.0, 0.5), min_size=1, max_size=20))
@example(errors=[0.0])  # a perfect stump: the bound drops to 0
@example(errors=[0.5, 0.25])  # chance level contributes a factor 1
def test_error_bound_formula(kata, errors):
    e = np.array(errors)
    want, acc = [], 1.0
    for eps in errors:
        acc *= 2 * (eps * (1 - eps)) ** 0.5
        want.append(acc)
    assert_close(kata.error_bound(e), np.array(want), rtol=1e-12, atol=1e-300,
                 name="prod_{s<=t} 2 sqrt(eps_s (1 - eps_s))", call=describe_call("error_bound", e))


@settings(max_examples=10)
@given(seed=seeds(), n=st.integers(10, 60), T=st.integers(2, 10))
def test_a_perfect_stump_ends_boosting(kata, seed, n, T):
    """A stump with zero weighted error would get an infinite weight: keep it (weight 1, error 0) and stop."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 1] > np.median(X[:, 1])).astype(int)
    if len(np.unique(y)) < 2:
        y[0] = 1 - y[0]
        X[0, 1] = X[:, 1].max() + 1 if y[0] else X[:, 1].min() - 1
    call = describe_call(f"AdaBoostSAMME(n_estimators={T}, random_state=0).fit", X, y)
    got = kata.AdaBoostSAMME(n_estimators=T, random_state=0).fit(X, y)
    compare_with_sklearn(got, sklearn_adaboost(X, y, T, 0), X, y, call)
    assert len(got.estimators_) == 1, f"{call} kept {len(got.estimators_)} stumps after a perfect first one"


@given(copies=st.sampled_from([1, 2, 4]), value=st.integers(-3, 3), n_classes=st.sampled_from([2, 4]))
@example(copies=1, value=0, n_classes=2)
def test_first_stump_at_chance_level_raises(kata, copies, value, n_classes):
    """Constant X cannot be split: the stump predicts one of K equally frequent classes, so its error is exactly
    1 - 1/K (n a power of two: every sum is exact). "err >= 1 - 1/K" discards it; as the first, a ValueError."""
    n = n_classes * copies
    X = np.full((n, 2), float(value))
    y = np.tile(np.arange(n_classes), copies)
    call = describe_call("AdaBoostSAMME(n_estimators=3).fit", X, y)
    with pytest.raises(ValueError):
        kata.AdaBoostSAMME(n_estimators=3).fit(X, y)
        raise AssertionError(f"{call} returned: the first stump's error is exactly 1 - 1/K = {1 - 1 / n_classes}, "
                             "which must be discarded (>=, not >), and discarding the first stump raises ValueError")
