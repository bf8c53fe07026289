"""Tests for ml-03-5, impurity-based (MDI) and permutation feature importance.

References: feature_importances_ of sklearn trees (classification and regression, with sample
weights) and of RandomForestClassifier; sklearn.inspection.permutation_importance with a fixed
random_state, whose permutations the test replays exactly and hands to you.
"""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# Importances are normalised sums of <= ~100 float64 terms: sklearn sums in another order.
TOL = 1e-10


def data(seed: int, n: int, d: int, kind: str):
    if kind == "classifier":
        return make_classification(n_samples=n, n_features=d, n_informative=min(d, 3), n_redundant=0,
                                   n_classes=2, n_clusters_per_class=1, flip_y=0.1, random_state=seed)
    X, y = make_regression(n_samples=n, n_features=d, n_informative=min(d, 3), noise=5.0, random_state=seed)
    return X, y / 100


def sklearn_permutations(random_state: int, n_features: int, n_repeats: int, n: int) -> np.ndarray:
    """The permutations sklearn 1.9's permutation_importance applies: one seed drawn from
    RandomState(random_state) serves every column; each repeat shuffles an index array in place
    and re-permutes the already permuted column with it. Returned as the composed permutation of
    the original column for each (feature, repeat)."""
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    out = np.empty((n_features, n_repeats, n), dtype=np.int64)
    for j in range(n_features):
        rng = np.random.RandomState(seed)
        shuffling = np.arange(n)
        composed = np.arange(n)
        for r in range(n_repeats):
            rng.shuffle(shuffling)
            composed = composed[shuffling]
            out[j, r] = composed
    return out


@given(seed=seeds(), n=st.integers(10, 80), d=st.integers(1, 6), kind=st.sampled_from(["classifier", "regressor"]),
       weighted=st.booleans(), max_depth=st.sampled_from([None, 1, 3]))
@example(seed=0, n=10, d=1, kind="classifier", weighted=False, max_depth=None)
@example(seed=1, n=80, d=6, kind="regressor", weighted=True, max_depth=3)
def test_tree_importances_match_sklearn(kata, seed, n, d, kind, weighted, max_depth):
    X, y = data(seed, n, d, kind)
    w = np.random.default_rng(seed).uniform(0.2, 3.0, n) if weighted else None
    Est = DecisionTreeClassifier if kind == "classifier" else DecisionTreeRegressor
    est = Est(max_depth=max_depth, random_state=seed).fit(X, y, sample_weight=w)
    call = describe_call("tree_impurity_importances", f"{Est.__name__}(max_depth={max_depth}).fit(X, y, w).tree_")
    got = kata.tree_impurity_importances(est.tree_)
    assert_close(got, est.feature_importances_, rtol=0, atol=TOL, name="impurity-based importances", call=call)


def test_single_leaf_tree_has_zero_importances(kata):
    X = np.arange(12.0).reshape(6, 2)
    est = DecisionTreeClassifier().fit(X, np.zeros(6))
    got = kata.tree_impurity_importances(est.tree_)
    assert_close(got, np.zeros(2), rtol=0, atol=0, name="importances of a single-leaf tree (0/0 must give 0)",
                 call=describe_call("tree_impurity_importances", "a tree with one node"))


@settings(max_examples=20)  # each example fits a forest
@given(seed=seeds(), n=st.integers(20, 80), d=st.integers(2, 6), n_estimators=st.integers(1, 10),
       max_depth=st.sampled_from([None, 1, 2]))
@example(seed=2, n=20, d=2, n_estimators=1, max_depth=None)
@example(seed=3, n=80, d=6, n_estimators=10, max_depth=1)  # stumps: every tree credits one feature
def test_forest_importances_match_sklearn(kata, seed, n, d, n_estimators, max_depth):
    X, y = data(seed, n, d, "classifier")
    rf = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=seed).fit(X, y)
    trees = [e.tree_ for e in rf.estimators_]
    call = describe_call("forest_impurity_importances", f"[{n_estimators} x tree_]")
    got = kata.forest_impurity_importances(trees)
    assert_close(got, rf.feature_importances_, rtol=0, atol=TOL,
                 name="forest importances (mean of the per-tree normalised importances, renormalised)", call=call)


@settings(max_examples=20)  # each example scores the model n_features * n_repeats times, twice
@given(seed=seeds(), n=st.integers(10, 60), d=st.integers(1, 5), n_repeats=st.integers(1, 6),
       kind=st.sampled_from(["classifier", "regressor"]), random_state=st.integers(0, 2**16))
@example(seed=4, n=10, d=1, n_repeats=1, kind="classifier", random_state=0)
@example(seed=5, n=60, d=5, n_repeats=6, kind="regressor", random_state=42)
def test_permutation_importance_matches_sklearn(kata, seed, n, d, n_repeats, kind, random_state):
    X, y = data(seed, n, d, kind)
    Est = DecisionTreeClassifier if kind == "classifier" else DecisionTreeRegressor
    est = Est(max_depth=3, random_state=seed).fit(X, y)
    ref = sk_permutation_importance(est, X, y, n_repeats=n_repeats, random_state=random_state)
    perms = sklearn_permutations(random_state, d, n_repeats, n)
    X_before = X.copy()
    call = describe_call("permutation_importance", f"{Est.__name__}.score", X, y, perms)
    got = kata.permutation_importance(est.score, X, y, perms)
    assert np.array_equal(X, X_before), f"{call} modified X in place: permute a copy"
    # Scores are accuracies / R^2 of the same predictions: identical up to one rounding.
    assert_close(got.importances, ref.importances, rtol=0, atol=TOL,
                 name="importances[j, r] = score(X) - score(X with column j permuted by perms[j, r])", call=call)
    assert_close(got.importances_mean, ref.importances_mean, rtol=0, atol=TOL, name="importances_mean", call=call)
    assert_close(got.importances_std, ref.importances_std, rtol=0, atol=TOL,
                 name="importances_std (population std, ddof=0)", call=call)


@given(seed=seeds(), n=st.integers(5, 60), d=st.integers(2, 5), n_repeats=st.integers(1, 5))
@example(seed=6, n=5, d=2, n_repeats=1)
def test_unused_feature_has_zero_importance_and_used_ones_match_by_hand(kata, seed, n, d, n_repeats):
    """A linear model that ignores the last column: permuting it changes nothing; permuting any
    other column changes the score exactly as recomputing it by hand does."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X[:, :-1] @ rng.normal(size=d - 1) + 0.1 * rng.normal(size=n)
    coef = np.linalg.lstsq(X[:, :-1], y, rcond=None)[0]
    calls = []

    def r2(A: np.ndarray, b: np.ndarray) -> float:
        resid = b - A[:, :-1] @ coef
        return float(1 - resid @ resid / np.sum((b - b.mean()) ** 2))

    def score(A: np.ndarray, b: np.ndarray) -> float:
        calls.append(1)
        return r2(A, b)

    perms = np.stack([np.stack([rng.permutation(n) for _ in range(n_repeats)]) for _ in range(d)])
    call = describe_call("permutation_importance", "R^2 of a linear fit on X[:, :-1]", X, y, perms)
    got = kata.permutation_importance(score, X, y, perms)
    assert_close(got.importances[-1], np.zeros(n_repeats), rtol=0, atol=0,
                 name="importances of the column the model never reads", call=call)
    base = r2(X, y)
    want = np.empty((d, n_repeats))
    for j in range(d):
        for r in range(n_repeats):
            Xp = X.copy()
            Xp[:, j] = X[perms[j, r], j]  # each repeat permutes the ORIGINAL column
            want[j, r] = base - r2(Xp, y)
    assert_close(got.importances, want, rtol=0, atol=1e-12, name="importances", call=call)
    assert len(calls) == 1 + d * n_repeats, (
        f"{call} called score {len(calls)} times, expected 1 baseline + {d} x {n_repeats} permuted = "
        f"{1 + d * n_repeats}")


@given(n_trees=st.integers(1, 3), d=st.integers(1, 4), seed=seeds())
@example(n_trees=2, d=3, seed=0)
def test_forest_of_single_leaf_trees_has_zero_importances(kata, n_trees, d, seed):
    """No tree has a split: every importance is 0 (not 0/0)."""
    X = np.random.default_rng(seed).normal(size=(6, d))
    trees = [DecisionTreeClassifier().fit(X, np.zeros(6)).tree_ for _ in range(n_trees)]
    with np.errstate(all="ignore"):
        got = call_unmodified(kata.forest_impurity_importances, trees)
    assert_close(got, np.zeros(d), rtol=0, atol=0, name="importances of a forest without splits",
                 call=describe_call("forest_impurity_importances", f"{n_trees} single-leaf trees"))
