"""Tests for ml-07-2, the lasso by coordinate descent.

References: sklearn.linear_model.Lasso run to tol=1e-14 on the same data (the lasso solution is
unique for data in general position), the lasso's KKT conditions checked directly, the closed
form alpha_max = max_j |x_j^T y| / n above which every coefficient is 0, and x - clip(x, -t, t)
for the soft-thresholding operator.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso as SkLasso

from grader.strategies import arrays, floats, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


def make_data(seed: int, n: int, d: int, corr: float) -> tuple[np.ndarray, np.ndarray]:
    """Correlated features of mixed scales and offsets, a sparse true coefficient vector."""
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, d)) + corr * rng.normal(size=(n, 1))) * rng.uniform(0.5, 2, size=d)
    X += rng.uniform(-3, 3, size=d)
    w = rng.normal(size=d) * (rng.uniform(size=d) < 0.6) * 3
    return X, X @ w + rng.normal(size=n) + 2.0


def centred(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> tuple[np.ndarray, np.ndarray]:
    return (X - X.mean(0), y - y.mean()) if fit_intercept else (X, y)


def alpha_max(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> float:
    Xc, yc = centred(X, y, fit_intercept)
    return float(np.abs(Xc.T @ yc).max() / len(X))


def sk_lasso(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool) -> SkLasso:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SkLasso(alpha=alpha, fit_intercept=fit_intercept, tol=1e-14, max_iter=1_000_000).fit(X, y)


@given(x=arrays(st.lists(st.integers(1, 5), min_size=0, max_size=3).map(tuple), min_value=-10.0, max_value=10.0),
       t=floats(0.0, 5.0))
@example(x=np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), t=1.0)  # exactly at +-t: 0
@example(x=np.array([3.0, -0.5]), t=0.0)  # t = 0: identity
@example(x=np.array([[1.5, -3.0], [0.25, 4.0]]), t=1.0)  # "any shape": a matrix
@example(x=np.array(-2.5), t=1.0)  # a 0-d array
def test_soft_threshold(kata, x, t):
    call = describe_call("soft_threshold", x, t)
    got = call_unmodified(kata.soft_threshold, x, t)
    assert_shape(got, x.shape, call=call)
    # The prox of t|.| is also x - clip(x, -t, t): exact in float64 up to one rounding.
    want = x - np.clip(x, -t, t)
    assert_close(got, want, rtol=1e-15, atol=0, name="S(x, t)", call=call)
    if x.size:  # "or a scalar": a Python float in, the same number out
        first = float(x.flat[0])
        assert_close(kata.soft_threshold(first, t), want.flat[0], rtol=1e-15, atol=0, name="S(x, t) of a float",
                     call=describe_call("soft_threshold", first, t))


@given(seed=seeds(), n=st.integers(5, 50), d=st.integers(1, 8), corr=st.floats(0.0, 2.0),
       frac=st.floats(0.05, 0.9), fit_intercept=st.booleans())
@example(seed=1, n=50, d=8, corr=2.0, frac=0.05, fit_intercept=False)  # strongly correlated, small alpha
def test_matches_sklearn(kata, seed, n, d, corr, frac, fit_intercept):
    n = max(n, d + 2)  # d > n has its own test: coordinate descent can crawl there
    X, y = make_data(seed, n, d, corr)
    alpha = frac * alpha_max(X, y, fit_intercept)
    call = describe_call(f"Lasso(alpha={alpha:.4g}, fit_intercept={fit_intercept}, tol=1e-12).fit", X, y)
    model = kata.Lasso(alpha, fit_intercept=fit_intercept, max_iter=100_000, tol=1e-12)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    ref = sk_lasso(X, y, alpha, fit_intercept)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    # Both solvers are run to ~1e-12; the minimiser is determined to ~1e-9 relative here.
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef_ (vs sklearn Lasso)", call=call)
    assert_close(float(model.intercept_), float(ref.intercept_), rtol=0, atol=1e-6 * scale,
                 name="intercept_", call=call)
    assert_close(model.predict(X[:3]), ref.predict(X[:3]), rtol=0, atol=1e-6 * scale * float(np.abs(X).max()),
                 name="predict", call=call)


# Seeds checked to converge in < 1100 sweeps: with more features than samples the lasso solution is
# still unique (data in general position), but coordinate descent can need 1e5 sweeps on unlucky draws.
@given(seed=st.sampled_from([0, 3, 4, 7, 9]), fit_intercept=st.booleans())
def test_more_features_than_samples_matches_sklearn(kata, seed, fit_intercept):
    X, y = make_data(seed, 5, 8, 1.0)
    alpha = 0.1 * alpha_max(X, y, fit_intercept)
    call = describe_call(f"Lasso(alpha={alpha:.4g}, fit_intercept={fit_intercept}, tol=1e-12).fit", X, y)
    model = call_unmodified(kata.Lasso(alpha, fit_intercept=fit_intercept, max_iter=100_000, tol=1e-12).fit, X, y)
    ref = sk_lasso(X, y, alpha, fit_intercept)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef_ (8 features, 5 samples)", call=call)
    assert_equal(np.asarray(model.coef_) == 0, ref.coef_ == 0, name="pattern of exact zeros", call=call)


@given(seed=seeds(), n=st.integers(5, 50), d=st.integers(1, 8), corr=st.floats(0.0, 2.0),
       frac=st.floats(0.05, 0.9), fit_intercept=st.booleans())
@example(seed=2, n=30, d=6, corr=0.5, frac=0.3, fit_intercept=True)
def test_kkt_conditions_hold(kata, seed, n, d, corr, frac, fit_intercept):
    """g = X^T (y - X w - b) / n satisfies g_j = alpha sign(w_j) where w_j != 0 and |g_j| <= alpha where w_j = 0."""
    n = max(n, d + 2)  # d > n has its own test: coordinate descent can crawl there
    X, y = make_data(seed, n, d, corr)
    alpha = frac * alpha_max(X, y, fit_intercept)
    call = describe_call(f"Lasso(alpha={alpha:.4g}, fit_intercept={fit_intercept}, tol=1e-12).fit", X, y)
    model = call_unmodified(kata.Lasso(alpha, fit_intercept=fit_intercept, max_iter=100_000, tol=1e-12).fit, X, y)
    w = np.asarray(model.coef_, dtype=np.float64)
    r = y - X @ w - float(model.intercept_)
    g = X.T @ r / n
    slack = 1e-8 * max(1.0, alpha) * max(1.0, float(np.abs(X).max()))  # sweeps stop at 1e-12 moves
    active = w != 0
    assert_close(g[active], alpha * np.sign(w[active]), rtol=0, atol=slack,
                 name="correlation with the residual on the non-zero coefficients (should be alpha * sign(w_j))",
                 call=call)
    over = np.flatnonzero(~active & (np.abs(g) > alpha + slack))
    assert over.size == 0, (f"{call}: coefficient {over[0]} is 0 but |x_j^T r / n| = {abs(g[over[0]]):.6g} > "
                            f"alpha = {alpha:.6g}: moving it off 0 would lower the objective")
    if fit_intercept:
        assert_close(r.sum() / n, 0.0, rtol=0, atol=1e-9 * float(np.abs(y).max()), name="mean residual", call=call)


@given(seed=seeds(), n=st.integers(3, 40), d=st.integers(1, 8), factor=st.floats(1.0, 10.0), fit_intercept=st.booleans(),
       tol=st.sampled_from([0.0, 1e-10]))
@example(seed=3, n=10, d=3, factor=1.0, fit_intercept=True, tol=1e-10)  # exactly alpha_max
@example(seed=4, n=12, d=2, factor=2.0, fit_intercept=False, tol=0.0)  # no move at all is "not more than tol = 0"
def test_alpha_above_alpha_max_zeroes_everything(kata, seed, n, d, factor, fit_intercept, tol):
    X, y = make_data(seed, n, d, 0.5)
    alpha = factor * alpha_max(X, y, fit_intercept) * (1 + 1e-9)
    call = describe_call(f"Lasso(alpha={alpha:.4g}, fit_intercept={fit_intercept}, tol={tol:g}).fit", X, y)
    model = call_unmodified(kata.Lasso(alpha, fit_intercept=fit_intercept, tol=tol).fit, X, y)
    assert_equal(np.asarray(model.coef_), np.zeros(d), name="coef_ (all exactly 0 for alpha >= alpha_max)", call=call)
    # Every coordinate's minimiser is exactly 0 from the start: the first sweep moves nothing.
    assert model.n_iter_ == 1, (f"{call}: no coefficient moves in the first sweep (all stay 0), so it must stop "
                                f"after 1 sweep; got n_iter_ = {model.n_iter_}")
    want_b = float(y.mean()) if fit_intercept else 0.0
    assert_close(float(model.intercept_), want_b, rtol=1e-12, atol=1e-12, name="intercept_ (the mean of y)",
                 call=call)


def reference_sweeps(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool,
                     sweeps: int) -> tuple[np.ndarray, float, bool]:
    """`sweeps` cyclic coordinate-descent sweeps from w = 0, each coordinate set to the exact
    minimiser of the objective in that coordinate (residual recomputed from scratch). Also says
    whether some sweep moved no coefficient by more than ~1e-12 (so stopping early is allowed)."""
    Xc, yc = centred(X, y, fit_intercept)
    n, d = Xc.shape
    w = np.zeros(d)
    settled = False
    for _ in range(sweeps):
        before = w.copy()
        for j in range(d):
            partial = yc - Xc @ w + Xc[:, j] * w[j]  # residual with feature j left out
            z = float(Xc[:, j] @ Xc[:, j]) / n
            rho = float(Xc[:, j] @ partial) / n
            w[j] = 0.0 if z == 0 else np.sign(rho) * max(abs(rho) - alpha, 0.0) / z
        settled |= bool(np.abs(w - before).max() <= 1e-12 * max(1.0, float(np.abs(w).max())))
    b = float(y.mean() - X.mean(0) @ w) if fit_intercept else 0.0
    return w, b, settled


@given(seed=seeds(), n=st.integers(5, 30), d=st.integers(1, 5), corr=st.floats(0.5, 2.0),
       frac=st.sampled_from([0.0, 0.05, 0.3]), sweeps=st.integers(1, 3), fit_intercept=st.booleans())
@example(seed=0, n=10, d=3, corr=1.0, frac=0.0, sweeps=1, fit_intercept=True)  # alpha = 0 is allowed
@example(seed=1, n=27, d=4, corr=1.0, frac=0.05, sweeps=3, fit_intercept=False)
@settings(max_examples=20)
def test_max_iter_caps_the_sweeps(kata, seed, n, d, corr, frac, sweeps, fit_intercept):
    """With tol = 0 and max_iter = k, fit runs k sweeps (fewer only if a sweep moved nothing)."""
    X, y = make_data(seed, n, d, corr)
    alpha = frac * alpha_max(X, y, fit_intercept)
    call = describe_call(f"Lasso(alpha={alpha:.4g}, fit_intercept={fit_intercept}, max_iter={sweeps}, tol=0).fit",
                         X, y)
    model = call_unmodified(kata.Lasso(alpha, fit_intercept=fit_intercept, max_iter=sweeps, tol=0.0).fit, X, y)
    want_w, want_b, settled = reference_sweeps(X, y, alpha, fit_intercept, sweeps)
    scale = max(1.0, float(np.abs(want_w).max()))
    # The same sweeps in another order of float64 operations: agree to rounding, ~1e-13 relative.
    assert_close(model.coef_, want_w, rtol=0, atol=1e-9 * scale,
                 name=f"coef_ after max_iter = {sweeps} sweep(s) from w = 0", call=call)
    assert_close(float(model.intercept_), want_b, rtol=0, atol=1e-8 * scale * max(1.0, float(np.abs(X).max())),
                 name="intercept_", call=call)
    ok = 1 <= model.n_iter_ <= sweeps if settled else model.n_iter_ == sweeps
    assert ok, f"{call}: n_iter_ should be the number of sweeps run ({sweeps}, the cap), got {model.n_iter_}"


DIABETES = load_diabetes()


@given(alpha=st.sampled_from([0.05, 0.1, 0.5, 1.0]), fit_intercept=st.booleans())
def test_matches_sklearn_on_diabetes(kata, alpha, fit_intercept):
    X, y = DIABETES.data, DIABETES.target
    call = describe_call(f"Lasso(alpha={alpha}, fit_intercept={fit_intercept}, tol=1e-12).fit", X, y)
    model = call_unmodified(kata.Lasso(alpha, fit_intercept=fit_intercept, max_iter=100_000, tol=1e-12).fit, X, y)
    ref = sk_lasso(X, y, alpha, fit_intercept)
    # Coefficients of size ~1e2-1e3 on unit-norm columns.
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-6 * float(np.abs(ref.coef_).max()),
                 name="coef_ (vs sklearn Lasso on diabetes)", call=call)
    assert_equal(np.asarray(model.coef_) == 0, ref.coef_ == 0, name="pattern of exact zeros", call=call)


@given(alpha=st.sampled_from([-1.0, -0.125]))
def test_rejects_negative_alpha(kata, alpha):
    X, y = make_data(0, 10, 2, 0.0)
    with pytest.raises(ValueError):
        kata.Lasso(alpha).fit(X, y)
