"""Tests for ml-01-1, ordinary least squares via the normal equations.

References: scipy.linalg.lstsq for the bare normal-equations solve, sklearn's LinearRegression
(fitted on the same data) for the estimator, and the defining property of least squares: the
residuals are orthogonal to every column of the design (and sum to zero with an intercept).
"""
import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.linalg import lstsq
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

# The normal equations square the condition number: the error is about cond(X)^2 * 2e-16 relative.
# Data are kept at cond(X) < 1e3, so 1e-8 relative (times the size of the numbers) is generous.
RTOL = 1e-8


def regression_data(seed: int, n: int, d: int, k: int = 0, noise: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """make_regression data with uncentred, unevenly scaled columns (k = 0: y is 1-D)."""
    rng = np.random.default_rng(seed)
    X, y = make_regression(n_samples=n, n_features=d, n_targets=max(k, 1), noise=noise,
                           bias=float(rng.uniform(-20, 20)), random_state=seed % 2**32)
    X = X * rng.uniform(0.5, 4.0, size=d) + rng.uniform(-10, 10, size=d)  # the x̄·w term matters
    y = y if k else y.reshape(n)
    return X, y.reshape(n, k) if k else y


def well_conditioned(X: np.ndarray, centre: bool) -> bool:
    Z = X - X.mean(axis=0) if centre else X
    return bool(np.linalg.cond(Z) < 1e3)


def intercept_hint(got: float, y: np.ndarray, want: float, fit_intercept: bool) -> str:
    """Name the usual intercept mistakes when the learner's intercept_ matches one of them."""
    if np.isclose(got, want, rtol=RTOL, atol=1e-6 * max(1.0, abs(want))):
        return ""
    if fit_intercept and np.isclose(got, y.mean()):
        return "intercept_ equals mean(y): after centring, the intercept is mean(y) - x̄·w, not mean(y)"
    if fit_intercept and got == 0:
        return "intercept_ is 0 with fit_intercept=True: centre X and y (or add a column of ones)"
    if not fit_intercept:
        return "fit_intercept=False: fit y ≈ X w through the origin, do not centre, intercept_ = 0"
    return ""


def scale_of(*arrays: np.ndarray) -> float:
    return max(1.0, *(float(np.max(np.abs(a))) for a in arrays))


@given(seed=seeds(), d=st.integers(1, 5), extra=st.integers(0, 30), k=st.integers(0, 3))
@example(seed=0, d=1, extra=0, k=0)  # n == d: a square system, solved exactly
@example(seed=1, d=5, extra=30, k=3)
def test_solve_normal_equations_matches_lstsq(kata, seed, d, extra, k):
    X, y = regression_data(seed, d + extra, d, k)
    assume(well_conditioned(X, centre=False))
    call = describe_call("solve_normal_equations", X, y)
    got = call_unmodified(kata.solve_normal_equations, X, y)  # the caller's X and y stay as they were
    want = lstsq(X, y)[0]
    assert_shape(got, want.shape, name="solution w", call=call)
    assert_close(got, want, rtol=RTOL, atol=RTOL * scale_of(want), name="solution w", call=call)


@given(seed=seeds(), d=st.integers(1, 5), extra=st.integers(1, 30), fit_intercept=st.booleans(),
       noise=st.sampled_from([0.0, 1.0, 10.0]))
@example(seed=2, d=1, extra=1, fit_intercept=True, noise=10.0)  # n = d + 1: the line through 2 points
@example(seed=3, d=3, extra=20, fit_intercept=False, noise=1.0)
def test_fit_matches_sklearn(kata, seed, d, extra, fit_intercept, noise):
    X, y = regression_data(seed, d + extra, d, noise=noise)
    assume(well_conditioned(X, centre=fit_intercept))
    call = describe_call(f"LinearRegressionNE(fit_intercept={fit_intercept}).fit", X, y)
    model = kata.LinearRegressionNE(fit_intercept=fit_intercept)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self (so that .fit(X, y).predict(X) works)"
    ref = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    atol = RTOL * scale_of(ref.coef_, ref.intercept_, y)
    assert_shape(model.coef_, (d,), name="coef_", call=call)
    assert_close(model.coef_, ref.coef_, rtol=RTOL, atol=atol, name="coef_", call=call)
    assert isinstance(model.intercept_, float), (
        f"{call}: intercept_ should be a float for 1-D y, got {type(model.intercept_).__name__} {model.intercept_!r}")
    hint = intercept_hint(float(model.intercept_), y, float(ref.intercept_), fit_intercept)
    assert not hint, f"{call}: intercept_ = {float(model.intercept_):.6g}, sklearn: {float(ref.intercept_):.6g}\n  {hint}"
    assert_close(model.intercept_, ref.intercept_, rtol=RTOL, atol=atol, name="intercept_", call=call)
    X_new = regression_data(seed + 1, 7, d)[0]
    assert_close(model.predict(X_new), ref.predict(X_new), rtol=RTOL, atol=atol * scale_of(X_new) * d,
                 name="predict(X_new)", call=call)


@given(seed=seeds(), d=st.integers(1, 4), extra=st.integers(1, 25), k=st.integers(2, 4), fit_intercept=st.booleans())
@example(seed=4, d=2, extra=1, k=3, fit_intercept=True)
def test_multioutput_matches_sklearn(kata, seed, d, extra, k, fit_intercept):
    X, Y = regression_data(seed, d + extra, d, k)
    assume(well_conditioned(X, centre=fit_intercept))
    call = describe_call(f"LinearRegressionNE(fit_intercept={fit_intercept}).fit", X, Y)
    model = call_unmodified(kata.LinearRegressionNE(fit_intercept=fit_intercept).fit, X, Y)
    ref = LinearRegression(fit_intercept=fit_intercept).fit(X, Y)
    atol = RTOL * scale_of(ref.coef_, ref.intercept_, Y)
    # (k, d): one row per output, like sklearn. Not (d, k), the raw solution of the normal equations.
    assert_shape(model.coef_, (k, d), name="coef_", call=call)
    assert_close(model.coef_, ref.coef_, rtol=RTOL, atol=atol, name="coef_", call=call)
    assert_close(model.intercept_, np.broadcast_to(ref.intercept_, (k,)), rtol=RTOL, atol=atol,
                 name="intercept_ (one per output)", call=call)
    X_new = regression_data(seed + 1, 6, d)[0]
    pred = model.predict(X_new)
    assert_shape(pred, (6, k), name="predict(X_new)", call=call)
    assert_close(pred, ref.predict(X_new), rtol=RTOL, atol=atol * scale_of(X_new) * d, name="predict(X_new)",
                 call=call)


@given(seed=seeds(), d=st.integers(1, 5), extra=st.integers(1, 30), fit_intercept=st.booleans())
def test_residuals_are_orthogonal_to_the_design(kata, seed, d, extra, fit_intercept):
    """The normal equations say exactly this: X̃ᵀ(y - X̃w) = 0, with X̃ = [X, 1] when there is an intercept."""
    X, y = regression_data(seed, d + extra, d, noise=5.0)
    assume(well_conditioned(X, centre=fit_intercept))
    call = describe_call(f"LinearRegressionNE(fit_intercept={fit_intercept}).fit(X, y).predict", X)
    residual = y - kata.LinearRegressionNE(fit_intercept=fit_intercept).fit(X, y).predict(X)
    design = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    # X̃ᵀr is a sum of n products of size |X|·|y|: 1e-9 of that is rounding, not a wrong answer.
    bound = 1e-9 * len(X) * scale_of(X) * scale_of(y)
    assert_close(design.T @ residual, np.zeros(design.shape[1]), rtol=0, atol=bound,
                 name="X̃ᵀ(y - predict(X)) (last entry: sum of residuals)" if fit_intercept else "Xᵀ(y - predict(X))",
                 call=call)


@given(seed=seeds(), d=st.integers(1, 4), extra=st.integers(1, 20), k=st.integers(0, 2))
def test_noise_free_data_recovers_the_true_parameters(kata, seed, d, extra, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(d + extra, d)) * 3 + rng.uniform(-10, 10, size=d)
    assume(well_conditioned(X, centre=True))
    w = rng.uniform(-5, 5, size=(k, d) if k else d)
    b = rng.uniform(-20, 20, size=(k,) if k else ())
    y = X @ w.T + b
    call = describe_call("LinearRegressionNE().fit", X, y)
    model = kata.LinearRegressionNE().fit(X, y)
    assert_close(model.coef_, w, rtol=RTOL, atol=1e-7, name="coef_ (true weights)", call=call)
    assert_close(model.intercept_, b, rtol=RTOL, atol=1e-6, name="intercept_ (true bias)", call=call)
