"""Tests for ml-03-6, multi-class AdaBoost (SAMME) with decision stumps.

References: sklearn.ensemble.AdaBoostClassifier (sklearn 1.9 runs SAMME; it has no `algorithm`
parameter any more) with its default depth-1 tree and the same random_state, fitted with the same
sample weights: per-round estimator weights and errors, the decision function and predictions on the
training data. Where the stump of a round is not unique (two different splits within rounding of the
best) or a round's error sits on the 1 - 1/K stopping edge, the run is not defined and is skipped.
Also: the closed forms of the round weight and the reweighting, and the SAMME training-error bound
after every round.
"""
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# Weights and errors are short float64 computations; sklearn's reweighting goes through
# exp(log(w) + ...), so the two agree to ~1e-15 relative per round, ~1e-13 after 15 rounds.
RTOL, ATOL = 1e-9, 1e-12
# Stump choices within this gain of the best, or errors within this of 1 - 1/K, are ties.
EDGE = 1e-9


def dataset(seed: int, n: int, d: int, k: int):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d, n_redundant=0, n_classes=k,
                               n_clusters_per_class=1, flip_y=0.1, random_state=seed)
    w = np.random.default_rng(seed).uniform(0.5, 2.0, size=n)  # continuous weights: no exact ties
    return X, np.array([3, 7, 11])[y], w


def stump_is_unique(X, y, w) -> bool:
    """No split with a different partition of the rows has a Gini gain within EDGE of the best."""
    _, codes = np.unique(y, return_inverse=True)
    onehot = np.zeros((len(y), codes.max() + 1))
    onehot[np.arange(len(y)), codes.ravel()] = w
    parent = onehot.sum(0)
    cands = []  # (gain, feature, position in that feature's sorted order)
    for j in range(X.shape[1]):
        o = np.argsort(X[:, j])
        xs, left = X[o, j], np.cumsum(onehot[o], axis=0)[:-1]
        right = parent - left
        wl, wr = left.sum(1), right.sum(1)
        g = -(wl - (left ** 2).sum(1) / wl) - (wr - (right ** 2).sum(1) / np.where(wr > 0, wr, 1))
        cands += [(g[p] / parent.sum(), j, p) for p in np.flatnonzero(xs[1:] > xs[:-1])]
    if not cands:
        return True
    best = max(c[0] for c in cands)
    near = [c for c in cands if c[0] > best - EDGE]
    masks = {tuple(X[:, j] <= np.sort(X[:, j])[p]) for _, j, p in near}
    masks = {m if m[0] else tuple(not v for v in m) for m in masks}  # a partition, not a side
    return len(masks) == 1


def sklearn_run_is_defined(ref: AdaBoostClassifier, X, y, w0, n_estimators: int) -> bool:
    """Replays sklearn's rounds: every stump unique, no error on the stopping edge."""
    K = len(ref.classes_)
    w = w0 / w0.sum()
    for t, (stump, alpha) in enumerate(zip(ref.estimators_, ref.estimator_weights_, strict=False)):
        if not stump_is_unique(X, y, w) or abs(ref.estimator_errors_[t] - (1 - 1 / K)) < EDGE:
            return False
        w = w * np.exp(alpha * (stump.predict(X) != y))
        w /= w.sum()
    m = len(ref.estimators_)
    if m < n_estimators and ref.estimator_errors_[m - 1] > 0:  # stopped on the 1 - 1/K rule: was it close?
        seed = np.random.RandomState(ref.random_state).randint(np.iinfo(np.int32).max, size=m + 1)[m]
        nxt = DecisionTreeClassifier(max_depth=1, random_state=int(seed)).fit(X, y, sample_weight=w)
        err = np.average(nxt.predict(X) != y, weights=w)
        return stump_is_unique(X, y, w) and abs(err - (1 - 1 / K)) >= EDGE
    return True


@given(error=st.floats(0.01, 0.6), k=st.integers(2, 6), lr=st.sampled_from([1.0, 0.5, 0.1, 2.0]))
@example(error=0.5, k=2, lr=1.0)  # chance level for two classes: weight 0
@example(error=0.25, k=4, lr=1.0)
def test_samme_alpha_closed_form(kata, error, k, lr):
    assume(error < 1 - 1 / k)
    want = lr * (np.log((1 - error) / error) + np.log(k - 1))
    assert_close(kata.samme_alpha(error, k, lr), want, rtol=1e-12, atol=1e-12,
                 name="alpha = lr * (log((1 - err) / err) + log(K - 1))", call=describe_call("samme_alpha", error, k, lr))


@given(seed=seeds(), n=st.integers(1, 30), alpha=st.floats(0.0, 4.0))
@example(seed=0, n=1, alpha=1.0)
def test_samme_reweight_closed_form(kata, seed, n, alpha):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 1.0, n)
    w /= w.sum()
    wrong = rng.random(n) < 0.3
    want = w * np.exp(alpha * wrong)
    want /= want.sum()
    call = describe_call("samme_reweight", w, wrong, alpha)
    got = call_unmodified(kata.samme_reweight, w, wrong, alpha)
    assert_close(got, want, rtol=1e-12, atol=1e-15,
                 name="new weights (misclassified rows times e^alpha, then normalised to sum 1)", call=call)


@settings(max_examples=15)  # each example fits two boosted ensembles and replays sklearn's rounds
@given(seed=seeds(), n=st.integers(20, 70), d=st.integers(2, 4), k=st.integers(2, 3),
       n_estimators=st.integers(1, 12), lr=st.sampled_from([1.0, 0.5, 1.5]))
@example(seed=1, n=20, d=2, k=2, n_estimators=1, lr=1.0)
@example(seed=2, n=70, d=4, k=3, n_estimators=12, lr=0.5)
def test_matches_sklearn_adaboost(kata, seed, n, d, k, n_estimators, lr):
    X, y, w = dataset(seed, n, d, k)
    ref = AdaBoostClassifier(n_estimators=n_estimators, learning_rate=lr, random_state=seed).fit(X, y, sample_weight=w)
    assume(sklearn_run_is_defined(ref, X, y, w, n_estimators))
    call = describe_call(f"AdaBoostSAMME({n_estimators}, learning_rate={lr}, random_state={seed}).fit", X, y,
                         sample_weight=w)
    ours = kata.AdaBoostSAMME(n_estimators=n_estimators, learning_rate=lr, random_state=seed)
    assert ours.fit(X, y, sample_weight=w) is ours, f"{call} must return self"
    m = len(ref.estimators_)
    assert len(ours.estimators_) == m, (
        f"{call} kept {len(ours.estimators_)} stumps, sklearn {m}: stop when a stump's weighted error is 0 (keep "
        "it, weight 1) or >= 1 - 1/K (drop it)")
    assert_close(ours.estimator_errors_, ref.estimator_errors_[:m], rtol=RTOL, atol=ATOL,
                 name="estimator_errors_ (weighted error of each round's stump)", call=call)
    assert_close(ours.estimator_weights_, ref.estimator_weights_[:m], rtol=RTOL, atol=ATOL,
                 name="estimator_weights_ (alpha of each round)", call=call)
    assert_close(ours.decision_function(X), ref.decision_function(X), rtol=RTOL, atol=ATOL,
                 name="decision_function on the training data", call=call)
    assert_equal(ours.predict(X), ref.predict(X), name="predict on the training data", call=call)


@settings(max_examples=20)  # each example boosts up to 15 rounds
@given(seed=seeds(), n=st.integers(20, 70), d=st.integers(2, 4), k=st.integers(2, 4),
       n_estimators=st.integers(1, 15), lr=st.sampled_from([1.0, 0.5]))
@example(seed=3, n=70, d=2, k=4, n_estimators=15, lr=1.0)
def test_training_error_bound_holds_every_round(kata, seed, n, d, k, n_estimators, lr):
    """After m rounds, training error <= prod_t [(1 - e_t) + e_t exp(a_t)] exp(-a_t / 2) (uniform weights)."""
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d, n_redundant=0, n_classes=k,
                               n_clusters_per_class=1, flip_y=0.1, random_state=seed)
    ours = kata.AdaBoostSAMME(n_estimators=n_estimators, learning_rate=lr, random_state=seed).fit(X, y)
    e, a = np.asarray(ours.estimator_errors_), np.asarray(ours.estimator_weights_)
    call = describe_call(f"AdaBoostSAMME({n_estimators}, learning_rate={lr}).fit", X, y)
    assert len(e) == len(a) == len(ours.estimators_) >= 1, (
        f"{call}: {len(ours.estimators_)} estimators, {len(a)} weights, {len(e)} errors: one of each per kept round")
    bound = np.cumprod(((1 - e) + e * np.exp(a)) * np.exp(-a / 2))
    for m, pred in enumerate(ours.staged_predict(X)):
        err = float(np.mean(pred != y))
        assert err <= bound[m] + 1e-12, (
            f"{call}: after round {m + 1} the training error is {err:.4f} > the SAMME bound {bound[m]:.4f} "
            f"(errors {np.round(e[: m + 1], 4).tolist()}, weights {np.round(a[: m + 1], 4).tolist()})")
    assert_equal(pred, ours.predict(X), name="last staged_predict (must equal predict)", call=call)


@given(copies=st.sampled_from([1, 2, 4]), value=st.integers(-3, 3), scale=st.sampled_from([None, 0.5, 4.0]))
@example(copies=1, value=0, scale=None)
def test_first_stump_at_chance_level_raises(kata, copies, value, scale):
    """Constant X cannot be split: the stump predicts one class of two balanced ones, so its error is
    exactly 1 - 1/K = 0.5 (n a power of two and equal weights: every sum is exact, whatever the order).
    "error >= 1 - 1/K" drops it, and as the first round that is a ValueError."""
    n = 2 * copies
    X = np.full((n, 1), float(value))
    y = np.array([0, 1] * copies)
    w = None if scale is None else np.full(n, scale)
    call = describe_call("AdaBoostSAMME(n_estimators=3).fit", X, y, sample_weight=w)
    with pytest.raises(ValueError):
        kata.AdaBoostSAMME(n_estimators=3).fit(X, y, sample_weight=w)
        raise AssertionError(f"{call} returned: its first stump has error exactly 1 - 1/K = 0.5, which must be "
                             "dropped (>=, not >), and dropping the first round raises ValueError")
