"""Tests for ml-07-3, the elastic net by coordinate descent.

References: sklearn.linear_model.ElasticNet run to tol=1e-14 (the solution is unique: the L2 part
makes the objective strictly convex); for l1_ratio = 0, sklearn Ridge with alpha_ridge = n * alpha
(the same objective multiplied by 2n); the KKT conditions checked directly; and the grouping effect
of Zou & Hastie: two identical columns receive identical coefficients.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Ridge as SkRidge

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

L1_RATIOS = st.sampled_from([0.1, 0.5, 0.9, 1.0])


def make_data(seed: int, n: int, d: int, corr: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, d)) + corr * rng.normal(size=(n, 1))) * rng.uniform(0.5, 2, size=d)
    X += rng.uniform(-3, 3, size=d)
    w = rng.normal(size=d) * (rng.uniform(size=d) < 0.6) * 3
    return X, X @ w + rng.normal(size=n) + 2.0


def l1_alpha_max(X: np.ndarray, y: np.ndarray, fit_intercept: bool, l1_ratio: float) -> float:
    """The smallest alpha that zeroes every coefficient: max_j |x_j^T y| / (n * l1_ratio)."""
    Xc, yc = (X - X.mean(0), y - y.mean()) if fit_intercept else (X, y)
    return float(np.abs(Xc.T @ yc).max() / len(X) / l1_ratio)


def sk_enet(X: np.ndarray, y: np.ndarray, alpha: float, l1_ratio: float, fit_intercept: bool) -> SkElasticNet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=1e-14,
                            max_iter=1_000_000).fit(X, y)


def fit(kata, X: np.ndarray, y: np.ndarray, alpha: float, l1_ratio: float, fit_intercept: bool = True):
    call = describe_call(f"ElasticNet(alpha={alpha:.4g}, l1_ratio={l1_ratio}, fit_intercept={fit_intercept}, "
                         "tol=1e-12).fit", X, y)
    model = kata.ElasticNet(alpha, l1_ratio, fit_intercept=fit_intercept, max_iter=100_000, tol=1e-12)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    return model, call


@given(seed=seeds(), n=st.integers(5, 50), d=st.integers(1, 8), corr=st.floats(0.0, 2.0),
       frac=st.floats(0.05, 0.9), l1_ratio=L1_RATIOS, fit_intercept=st.booleans())
@example(seed=1, n=40, d=6, corr=2.0, frac=0.05, l1_ratio=0.1, fit_intercept=False)
def test_matches_sklearn(kata, seed, n, d, corr, frac, l1_ratio, fit_intercept):
    n = max(n, d + 2)  # d > n has its own test: coordinate descent can crawl there
    X, y = make_data(seed, n, d, corr)
    alpha = frac * l1_alpha_max(X, y, fit_intercept, l1_ratio)
    model, call = fit(kata, X, y, alpha, l1_ratio, fit_intercept)
    ref = sk_enet(X, y, alpha, l1_ratio, fit_intercept)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    # Both run to ~1e-12; the strictly convex minimiser is determined to ~1e-10 relative here.
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef_ (vs sklearn ElasticNet)", call=call)
    assert_close(float(model.intercept_), float(ref.intercept_), rtol=0, atol=1e-6 * scale, name="intercept_",
                 call=call)
    assert_equal(np.asarray(model.coef_) == 0, ref.coef_ == 0, name="pattern of exact zeros", call=call)
    X_new = X[:3] * 0.5 + 1.0
    assert_close(model.predict(X_new), ref.predict(X_new), rtol=0, atol=1e-6 * scale * max(1.0, float(np.abs(X).max())),
                 name="predict(X_new) (X_new @ coef_ + intercept_)", call=call)


# Seeds checked to converge quickly: with more features than samples the elastic net is still unique
# (strictly convex), but coordinate descent can crawl on unlucky draws.
@given(seed=st.sampled_from([0, 3, 4, 7, 9]), fit_intercept=st.booleans())
def test_more_features_than_samples_matches_sklearn(kata, seed, fit_intercept):
    X, y = make_data(seed, 5, 8, 1.0)
    alpha = 0.1 * l1_alpha_max(X, y, fit_intercept, 0.5)
    model, call = fit(kata, X, y, alpha, 0.5, fit_intercept)
    ref = sk_enet(X, y, alpha, 0.5, fit_intercept)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef_ (8 features, 5 samples)", call=call)


@given(seed=seeds(), n=st.integers(3, 40), d=st.integers(1, 6), alpha=st.sampled_from([0.1, 1.0, 10.0]),
       fit_intercept=st.booleans())
@example(seed=2, n=8, d=6, alpha=0.1, fit_intercept=True)
def test_l1_ratio_zero_is_ridge(kata, seed, n, d, alpha, fit_intercept):
    """With l1_ratio = 0 the objective times 2n is ||y - Xw - b||^2 + n alpha ||w||^2: Ridge(alpha=n*alpha)."""
    # More samples than features: coordinate descent on an ill-conditioned ridge crawls.
    n = max(n, d + 2)
    X, y = make_data(seed, n, d, 0.5)
    model, call = fit(kata, X, y, alpha, 0.0, fit_intercept)
    ref = SkRidge(alpha=n * alpha, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef_ (vs Ridge(alpha=n * alpha))",
                 call=call)


@given(seed=seeds(), n=st.integers(5, 50), d=st.integers(1, 8), corr=st.floats(0.0, 2.0),
       frac=st.floats(0.05, 0.9), l1_ratio=L1_RATIOS, fit_intercept=st.booleans())
@example(seed=3, n=30, d=6, corr=0.5, frac=0.3, l1_ratio=0.5, fit_intercept=True)
def test_kkt_conditions_hold(kata, seed, n, d, corr, frac, l1_ratio, fit_intercept):
    """g = X^T r / n - alpha (1 - l1_ratio) w equals alpha l1_ratio sign(w_j) on the support and is at
    most alpha l1_ratio in absolute value off it."""
    n = max(n, d + 2)  # d > n has its own test: coordinate descent can crawl there
    X, y = make_data(seed, n, d, corr)
    alpha = frac * l1_alpha_max(X, y, fit_intercept, l1_ratio)
    model, call = fit(kata, X, y, alpha, l1_ratio, fit_intercept)
    w = np.asarray(model.coef_, dtype=np.float64)
    r = y - X @ w - float(model.intercept_)
    g = X.T @ r / n - alpha * (1 - l1_ratio) * w
    lam = alpha * l1_ratio
    slack = 1e-8 * max(1.0, alpha) * max(1.0, float(np.abs(X).max()))
    active = w != 0
    assert_close(g[active], lam * np.sign(w[active]), rtol=0, atol=slack,
                 name="x_j^T r / n - alpha (1 - l1_ratio) w_j on the support (should be alpha l1_ratio sign(w_j))",
                 call=call)
    over = np.flatnonzero(~active & (np.abs(g) > lam + slack))
    assert over.size == 0, (f"{call}: coefficient {over[0]} is 0 but |x_j^T r / n| = {abs(g[over[0]]):.6g} > "
                            f"alpha * l1_ratio = {lam:.6g}")


@given(seed=seeds(), n=st.integers(10, 40), d=st.integers(1, 4), alpha=st.sampled_from([0.1, 0.3, 1.0]),
       l1_ratio=st.sampled_from([0.1, 0.3, 0.5]))
@example(seed=4, n=20, d=3, alpha=0.3, l1_ratio=0.5)
def test_duplicated_feature_gets_equal_weights(kata, seed, n, d, alpha, l1_ratio):
    """The grouping effect: with an exact copy of column 0, the strictly convex objective is symmetric
    in the two copies, so its unique minimiser weighs them equally (the lasso would not)."""
    X, y = make_data(seed, n, d, 0.5)
    X = (X - X.mean(0)) / X.std(0)  # unit-variance columns: the L2 part alpha (1 - l1_ratio) >= 0.05 is felt
    X = np.hstack([X, X[:, :1]])
    model, call = fit(kata, X, y, alpha, l1_ratio)
    w = np.asarray(model.coef_, dtype=np.float64)
    # Coordinate descent closes the gap between the copies by a factor ~1 / (1 + alpha (1 - l1_ratio))
    # per sweep, so tol=1e-12 leaves it far below 1e-6 relative.
    assert_close(w[-1], w[0], rtol=1e-6, atol=1e-9, name="weight of the copy of column 0 (should equal coef_[0])",
                 call=call)


def reference_sweeps(X: np.ndarray, y: np.ndarray, alpha: float, l1_ratio: float, fit_intercept: bool,
                     sweeps: int) -> tuple[np.ndarray, float, bool]:
    """`sweeps` cyclic coordinate-descent sweeps from w = 0, each coordinate set to the exact
    minimiser of the objective in that coordinate (residual recomputed from scratch). Also says
    whether some sweep moved no coefficient by more than ~1e-12 (so stopping early is allowed)."""
    Xc, yc = (X - X.mean(0), y - y.mean()) if fit_intercept else (X, y)
    n, d = Xc.shape
    w = np.zeros(d)
    settled = False
    for _ in range(sweeps):
        before = w.copy()
        for j in range(d):
            partial = yc - Xc @ w + Xc[:, j] * w[j]  # residual with feature j left out
            z = float(Xc[:, j] @ Xc[:, j]) / n
            rho = float(Xc[:, j] @ partial) / n
            shrunk = np.sign(rho) * max(abs(rho) - alpha * l1_ratio, 0.0)
            w[j] = 0.0 if z == 0 else shrunk / (z + alpha * (1 - l1_ratio))
        settled |= bool(np.abs(w - before).max() <= 1e-12 * max(1.0, float(np.abs(w).max())))
    b = float(y.mean() - X.mean(0) @ w) if fit_intercept else 0.0
    return w, b, settled


@given(seed=seeds(), n=st.integers(5, 30), d=st.integers(1, 5), corr=st.floats(0.5, 2.0),
       frac=st.sampled_from([0.0, 0.05, 0.3]), l1_ratio=L1_RATIOS, sweeps=st.integers(1, 3),
       fit_intercept=st.booleans())
@example(seed=0, n=10, d=3, corr=1.0, frac=0.0, l1_ratio=0.5, sweeps=1, fit_intercept=True)  # alpha = 0 is allowed
@example(seed=1, n=27, d=4, corr=1.0, frac=0.05, l1_ratio=0.5, sweeps=3, fit_intercept=False)
@settings(max_examples=10)
def test_max_iter_caps_the_sweeps(kata, seed, n, d, corr, frac, l1_ratio, sweeps, fit_intercept):
    """With tol = 0 and max_iter = k, fit runs k sweeps (fewer only if a sweep moved nothing)."""
    X, y = make_data(seed, n, d, corr)
    alpha = frac * l1_alpha_max(X, y, fit_intercept, l1_ratio)
    call = describe_call(f"ElasticNet(alpha={alpha:.4g}, l1_ratio={l1_ratio}, fit_intercept={fit_intercept}, "
                         f"max_iter={sweeps}, tol=0).fit", X, y)
    model = call_unmodified(kata.ElasticNet(alpha, l1_ratio, fit_intercept=fit_intercept, max_iter=sweeps,
                                            tol=0.0).fit, X, y)
    want_w, want_b, settled = reference_sweeps(X, y, alpha, l1_ratio, fit_intercept, sweeps)
    scale = max(1.0, float(np.abs(want_w).max()))
    # The same sweeps in another order of float64 operations: agree to rounding, ~1e-13 relative.
    assert_close(model.coef_, want_w, rtol=0, atol=1e-9 * scale,
                 name=f"coef_ after max_iter = {sweeps} sweep(s) from w = 0", call=call)
    assert_close(float(model.intercept_), want_b, rtol=0, atol=1e-8 * scale * max(1.0, float(np.abs(X).max())),
                 name="intercept_", call=call)
    ok = 1 <= model.n_iter_ <= sweeps if settled else model.n_iter_ == sweeps
    assert ok, f"{call}: n_iter_ should be the number of sweeps run ({sweeps}, the cap), got {model.n_iter_}"


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 6), factor=st.floats(1.0, 10.0),
       l1_ratio=L1_RATIOS, fit_intercept=st.booleans())
@example(seed=4, n=12, d=2, factor=1.0, l1_ratio=0.5, fit_intercept=True)
@settings(max_examples=5)
def test_all_zero_start_stops_after_one_sweep(kata, seed, n, d, factor, l1_ratio, fit_intercept):
    """Above alpha_max every coordinate's minimiser is exactly 0, so the first sweep moves nothing:
    with tol = 0 that is "no coefficient moved by more than tol" and fit stops after 1 sweep."""
    X, y = make_data(seed, n, d, 0.5)
    alpha = factor * l1_alpha_max(X, y, fit_intercept, l1_ratio) * (1 + 1e-9)
    call = describe_call(f"ElasticNet(alpha={alpha:.4g}, l1_ratio={l1_ratio}, fit_intercept={fit_intercept}, "
                         "tol=0).fit", X, y)
    model = call_unmodified(kata.ElasticNet(alpha, l1_ratio, fit_intercept=fit_intercept, tol=0.0).fit, X, y)
    assert_equal(np.asarray(model.coef_), np.zeros(d), name="coef_ (all exactly 0 above alpha_max)", call=call)
    assert model.n_iter_ == 1, f"{call}: the first sweep moves nothing, so n_iter_ should be 1, got {model.n_iter_}"


DIABETES = load_diabetes()


@given(alpha=st.sampled_from([0.001, 0.01, 0.1]), l1_ratio=st.sampled_from([0.2, 0.7]))
def test_matches_sklearn_on_diabetes(kata, alpha, l1_ratio):
    X, y = DIABETES.data, DIABETES.target
    model, call = fit(kata, X, y, alpha, l1_ratio)
    ref = sk_enet(X, y, alpha, l1_ratio, True)
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-6 * float(np.abs(ref.coef_).max()),
                 name="coef_ (vs sklearn ElasticNet on diabetes)", call=call)


@given(bad=st.sampled_from([(-1.0, 0.5), (1.0, -0.25), (1.0, 1.5)]))
def test_rejects_bad_arguments(kata, bad):
    X, y = make_data(0, 10, 2, 0.0)
    with pytest.raises(ValueError):
        kata.ElasticNet(*bad).fit(X, y)
