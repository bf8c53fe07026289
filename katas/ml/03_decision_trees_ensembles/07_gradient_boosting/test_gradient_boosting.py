"""Tests for ml-03-7, least-squares gradient boosting.

Reference: sklearn.ensemble.GradientBoostingRegressor(loss="squared_error", subsample=1.0) with the
same n_estimators, learning_rate, max_depth and random_state: the initial constant, predictions on
training and new points, staged predictions and train_score_ (the training MSE after every stage).
Plus a property: with learning_rate <= 1 the training MSE never increases.
"""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor as SkGBR

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# Same trees, same float64 additions in the same order: differences are a few ulps of |y| <= ~3.
RTOL, ATOL = 1e-10, 1e-10
RATES = st.sampled_from([0.1, 0.5, 1.0, 0.05])


def dataset(seed: int, n: int, d: int):
    X, y = make_regression(n_samples=n, n_features=d, n_informative=d, noise=10.0, random_state=seed)
    X_new = np.random.default_rng(seed).normal(size=(25, d)) * 1.5
    return X, y / 100 + 3.0, X_new  # a non-zero mean, so the initial constant matters


@settings(max_examples=20)  # each example fits two boosted ensembles of up to 30 trees
@given(seed=seeds(), n=st.integers(10, 80), d=st.integers(1, 4), n_estimators=st.integers(1, 30), lr=RATES,
       max_depth=st.sampled_from([1, 2, 3]))
@example(seed=0, n=10, d=1, n_estimators=1, lr=1.0, max_depth=1)
@example(seed=1, n=80, d=4, n_estimators=30, lr=0.1, max_depth=3)
def test_matches_sklearn_gradient_boosting(kata, seed, n, d, n_estimators, lr, max_depth):
    X, y, X_new = dataset(seed, n, d)
    ref = SkGBR(loss="squared_error", n_estimators=n_estimators, learning_rate=lr, max_depth=max_depth,
                subsample=1.0, random_state=seed).fit(X, y)
    call = describe_call(f"GradientBoostingRegressor({n_estimators}, learning_rate={lr}, max_depth={max_depth}, "
                         f"random_state={seed}).fit", X, y)
    ours = kata.GradientBoostingRegressor(n_estimators=n_estimators, learning_rate=lr, max_depth=max_depth,
                                          random_state=seed)
    assert call_unmodified(ours.fit, X, y) is ours, f"{call} must return self"
    assert_close(ours.init_, ref.init_.constant_[0][0], rtol=RTOL, atol=ATOL,
                 name="init_ (the constant that minimises the squared error)", call=call)
    assert_close(ours.train_score_, ref.train_score_, rtol=RTOL, atol=ATOL,
                 name="train_score_ (training MSE after each stage)", call=call)
    assert_close(ours.predict(X), ref.predict(X), rtol=RTOL, atol=ATOL, name="predict on the training data",
                 call=call)
    assert_close(ours.predict(X_new), ref.predict(X_new), rtol=RTOL, atol=ATOL, name="predict on new points",
                 call=call)
    got = np.array(list(ours.staged_predict(X_new)))
    want = np.array(list(ref.staged_predict(X_new)))
    assert_close(got, want, rtol=RTOL, atol=ATOL,
                 name="staged_predict on new points (one row per stage, the first after one tree)", call=call)


@settings(max_examples=20)  # each example fits up to 40 trees
@given(seed=seeds(), n=st.integers(5, 60), d=st.integers(1, 3), n_estimators=st.integers(1, 40),
       lr=st.sampled_from([0.1, 0.5, 1.0]), max_depth=st.sampled_from([1, 2, None]))
@example(seed=2, n=5, d=1, n_estimators=1, lr=1.0, max_depth=None)
def test_training_loss_never_increases(kata, seed, n, d, n_estimators, lr, max_depth):
    """Each tree is the least-squares fit of the residuals on its leaves, so for 0 < lr <= 1:
    ||r - lr t||^2 = ||r||^2 - (2 lr - lr^2) ||t||^2 <= ||r||^2."""
    X, y, _ = dataset(seed, n, d)
    ours = kata.GradientBoostingRegressor(n_estimators=n_estimators, learning_rate=lr, max_depth=max_depth,
                                          random_state=seed).fit(X, y)
    call = describe_call(f"GradientBoostingRegressor({n_estimators}, learning_rate={lr}, max_depth={max_depth}).fit",
                         X, y)
    losses = np.concatenate([[np.mean((y - y.mean()) ** 2)], np.asarray(ours.train_score_, dtype=float)])
    assert len(losses) == n_estimators + 1, f"{call}: train_score_ has {len(losses) - 1} entries, expected {n_estimators}"
    rises = np.flatnonzero(np.diff(losses) > 1e-12 * losses[0] + 1e-15)
    assert rises.size == 0, (f"{call}: training MSE rose at stage {rises[0]} ({losses[rises[0]]:.6g} -> "
                             f"{losses[rises[0] + 1]:.6g}): is each tree fitted to y minus the current prediction?")
    for m, pred in enumerate(ours.staged_predict(X)):
        assert_close(np.mean((y - pred) ** 2), losses[m + 1], rtol=1e-10, atol=1e-12,
                     name=f"train_score_[{m}] (MSE of staged_predict at stage {m})", call=call)
    if max_depth is None and lr == 1.0:
        # Distinct rows: a fully grown tree interpolates the residuals, so one stage fits y exactly.
        assert_close(ours.predict(X), y, rtol=0, atol=1e-10, name="predict(X) with one unlimited tree at lr=1",
                     call=call)
