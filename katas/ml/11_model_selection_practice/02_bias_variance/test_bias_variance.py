"""Tests for ml-11-2, the bias-variance decomposition by simulation.

References: the identity mse = bias^2 + variance, exact on any simulated sample (checked against
brute-force formulas); the closed form of ridge regression's bias and variance at fixed design,
checked against scikit-learn's Ridge (its prediction is linear in y, so fitting it to the identity
matrix gives the hat matrix); and a Monte-Carlo simulation that must agree with the closed form
within 6 standard errors (deterministic given the drawn seed).
"""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

LAMS = st.sampled_from([0.01, 0.1, 1.0, 10.0])
SIGMAS = st.sampled_from([0.1, 0.5, 1.0])


def problem(seed: int, n: int, d: int, m: int):
    """Fixed design, a nonlinear truth (so a linear fit is biased), test points."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)

    def f(X):
        return np.sin(X @ w) + 0.5 * X[:, 0] ** 2

    X_train, X_test = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    return X_train, f(X_train), X_test, f(X_test)


def ridge_fit_predict(lam: float):
    def fit_predict(X, y, X_new):
        return X_new @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    return fit_predict


def sklearn_hat(X_train, X_test, lam):
    """Ridge predictions are H @ y; fitting the n x n identity as n targets returns H itself."""
    n = len(X_train)
    return Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X_train, np.eye(n)).predict(X_test)


@given(seed=seeds(), R=st.integers(1, 50), m=st.integers(1, 8), scale=st.sampled_from([1e-3, 1.0, 1e3]),
       dtype=float_dtypes())
@example(seed=0, R=1, m=1, scale=1.0, dtype=np.float64)  # one replicate: no variance, mse = bias^2
@example(seed=1, R=2, m=3, scale=1.0, dtype=np.float64)
@example(seed=1, R=2, m=3, scale=1.0, dtype=np.float32)  # float32 predictions: still float64 results
def test_decomposition_adds_up_exactly(kata, seed, R, m, scale, dtype):
    rng = np.random.default_rng(seed)
    P, f = (rng.normal(size=(R, m)) * scale).astype(dtype), (rng.normal(size=m) * scale).astype(dtype)
    call = describe_call("decompose", P, f)
    got = call_unmodified(kata.decompose, P, f)
    for name, arr in zip(("mse", "bias2", "variance"), got, strict=True):
        assert_dtype(arr, np.float64, name=f"{name} (float64, also for float32 predictions)", call=call)
    P, f = P.astype(np.float64), f.astype(np.float64)
    mean = P.mean(axis=0)
    tol = dict(rtol=1e-10, atol=1e-12 * scale**2)  # sums of R squares in float64
    assert_close(got.mse, ((P - f) ** 2).mean(axis=0), name="mse (mean of (P - f)^2 over replicates)", call=call, **tol)
    assert_close(got.bias2, (mean - f) ** 2, name="bias2 ((mean prediction - f)^2)", call=call, **tol)
    assert_close(got.variance, P.var(axis=0), name="variance (ddof = 0: divide by R, not R - 1)", call=call, **tol)
    assert_close(got.bias2 + got.variance, got.mse, name="bias2 + variance (must equal mse exactly)", call=call, **tol)


@given(seed=seeds(), n=st.integers(2, 20), m=st.integers(1, 5), R=st.integers(1, 20), sigma=SIGMAS)
@example(seed=2, n=3, m=2, R=3, sigma=0.5)
def test_simulation_draws_one_noise_vector_per_replicate(kata, seed, n, m, R, sigma):
    """Replicate r fits on y_r = f_train + sigma * rng.standard_normal(n): one call per replicate, in order."""
    X_train, f_train, X_test, _ = problem(seed, n, 2, m)
    seen = []

    def fit_predict(X, y, X_new):
        seen.append(np.array(y, dtype=np.float64))
        return X_new @ np.ones(X_new.shape[1]) + y.mean()

    call = describe_call("simulate_predictions", "fit_predict", X_train, f_train, X_test, sigma, R, "rng")
    P = np.asarray(kata.simulate_predictions(fit_predict, X_train, f_train, X_test, sigma, R,
                                             np.random.default_rng(seed)))
    assert len(seen) == R, f"{call} called fit_predict {len(seen)} times, expected {R}"
    rng = np.random.default_rng(seed)
    for r in range(R):
        want_y = f_train + sigma * rng.standard_normal(n)
        assert_close(seen[r], want_y, rtol=0, atol=1e-12, name=f"training targets of replicate {r}", call=call)
    want_P = np.stack([X_test @ np.ones(2) + y.mean() for y in seen])
    assert_close(P, want_P, rtol=0, atol=1e-12, name="predictions (one row per replicate)", call=call)


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 4), m=st.integers(1, 8), lam=LAMS, sigma=SIGMAS)
@example(seed=3, n=10, d=2, m=4, lam=1.0, sigma=0.5)
def test_ridge_closed_form_matches_sklearn_hat_matrix(kata, seed, n, d, m, lam, sigma):
    """bias = H f_train - f_test and variance = sigma^2 * ||row of H||^2, H = X_test (X^T X + lam I)^-1 X^T."""
    X_train, f_train, X_test, f_test = problem(seed, n, d, m)
    call = describe_call("ridge_bias_variance", X_train, f_train, X_test, f_test, lam, sigma)
    bias2, variance = call_unmodified(kata.ridge_bias_variance, X_train, f_train, X_test, f_test, lam, sigma)
    # A float32 design works too: the solve still runs in float64 (the same numbers as for its float64 copy).
    X32 = X_train.astype(np.float32)
    b32, v32 = call_unmodified(kata.ridge_bias_variance, X32, f_train, X_test, f_test, lam, sigma)
    H32 = sklearn_hat(X32.astype(np.float64), X_test, lam)
    assert_close(b32, (H32 @ f_train - f_test) ** 2, rtol=1e-8, atol=1e-12, name="bias^2 with a float32 X_train",
                 call=call)
    assert_close(v32, sigma**2 * (H32**2).sum(axis=1), rtol=1e-8, atol=1e-14, name="variance with a float32 X_train",
                 call=call)
    H = sklearn_hat(X_train, X_test, lam)
    # small well-conditioned solves in float64.
    assert_close(bias2, (H @ f_train - f_test) ** 2, rtol=1e-8, atol=1e-12, name="bias^2", call=call)
    assert_close(variance, sigma**2 * (H**2).sum(axis=1), rtol=1e-8, atol=1e-14, name="variance", call=call)


@settings(max_examples=10)
@given(seed=seeds(), n=st.integers(5, 30), d=st.integers(1, 4), m=st.integers(1, 6), lam=LAMS, sigma=SIGMAS)
@example(seed=4, n=8, d=3, m=5, lam=0.1, sigma=1.0)
def test_simulation_agrees_with_the_closed_form(kata, seed, n, d, m, lam, sigma):
    """1000 simulated training sets: bias, variance and the expected error on fresh noisy targets
    (bias^2 + variance + sigma^2) within 6 standard errors of their exact values."""
    R = 1000
    X_train, f_train, X_test, f_test = problem(seed, n, d, m)
    P = np.asarray(kata.simulate_predictions(ridge_fit_predict(lam), X_train, f_train, X_test, sigma, R,
                                             np.random.default_rng(seed)))
    got = kata.decompose(P, f_test)
    H = sklearn_hat(X_train, X_test, lam)
    bias, var = H @ f_train - f_test, sigma**2 * (H**2).sum(axis=1)
    call = describe_call("decompose", describe_call("simulate_predictions", "ridge", X_train, f_train, X_test,
                                                    sigma, R, "rng"), f_test)
    se_bias = np.sqrt(var / R)
    off = np.abs(np.sqrt(got.bias2) - np.abs(bias))
    assert np.all(off <= 6 * se_bias + 1e-12), (
        f"{call}: |bias| {np.sqrt(got.bias2)} vs exact {np.abs(bias)}, more than 6 standard errors {se_bias} apart")
    se_var = var * np.sqrt(2.0 / R)
    assert np.all(np.abs(got.variance - var) <= 6 * se_var + var / R), (
        f"{call}: variance {got.variance} vs exact {var} (6 standard errors: {6 * se_var})")
    y_test = f_test + sigma * np.random.default_rng(seed + 1).standard_normal((R, m))
    err = ((y_test - P) ** 2).mean(axis=0)
    s2 = var + sigma**2
    se_err = np.sqrt((2 * s2**2 + 4 * bias**2 * s2) / R)
    want = bias**2 + var + sigma**2
    assert np.all(np.abs(err - want) <= 6 * se_err), (
        f"{call}: error on fresh noisy targets {err} vs bias^2 + variance + sigma^2 = {want}")
