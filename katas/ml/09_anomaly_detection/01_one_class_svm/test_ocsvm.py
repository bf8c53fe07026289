"""Tests for ml-09-1, the One-Class SVM.

Reference: sklearn.svm.OneClassSVM(kernel="rbf", same gamma and nu, tol=1e-12) on the same data:
decision_function, score_samples and rho on training and new points, predictions away from the
boundary, and the dual objective value; sklearn.metrics.pairwise.rbf_kernel for the kernel; and
Schölkopf's nu-property (outlier fraction <= nu <= support-vector fraction) of your own solution.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import OneClassSVM
from threadpoolctl import threadpool_limits

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

NUS = st.sampled_from([0.05, 0.1, 0.25, 0.5, 0.75, 0.9])
GAMMAS = st.sampled_from([0.1, 0.5, 1.0, 2.0])
# Decision values are sums of nu*n kernel values: compare relative to that scale. A QP solved to
# ftol ~1e-12 lands within ~1e-8 of libsvm run with tol=1e-12; a wrong rho or a scale error is off by far more.
REL_TOL = 1e-6


def make_data(seed: int, n: int, d: int, nu: float) -> np.ndarray:
    """A Gaussian cloud with two points pushed out; n is nudged so that nu * n is not an integer,
    which guarantees a support vector strictly inside the box and so a unique rho."""
    if abs(nu * n - round(nu * n)) < 0.05:
        n += 1
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X[:2] *= 3.0
    return X


def fit_both(kata, X, nu, gamma):
    call = describe_call(f"OneClassSVM(nu={nu}, gamma={gamma}).fit", X)
    with threadpool_limits(1):  # tiny matrices: extra BLAS threads only contend
        got = call_unmodified(kata.OneClassSVM(nu=nu, gamma=gamma).fit, X)
        ref = OneClassSVM(kernel="rbf", nu=nu, gamma=gamma, tol=1e-12).fit(X)
    assert got is not None and hasattr(got, "decision_function"), f"{call} should return self"
    return got, ref, call


def full_alpha(model, n: int) -> np.ndarray:
    alpha = np.zeros(n)
    alpha[np.asarray(model.support_, dtype=int)] = np.ravel(model.dual_coef_)
    return alpha


@given(seed=seeds(), n=st.integers(1, 12), m=st.integers(1, 12), d=st.integers(1, 4), gamma=GAMMAS)
def test_rbf_kernel_matches_sklearn(kata, seed, n, m, d, gamma):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    # float64 exp of squared distances: a few ulps.
    assert_close(call_unmodified(kata.rbf_kernel, A, B, gamma), rbf_kernel(A, B, gamma=gamma), rtol=1e-10, atol=1e-12,
                 call=describe_call("rbf_kernel", A, B, gamma))


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), nu=NUS, gamma=GAMMAS)
@example(seed=0, n=20, d=2, nu=0.5, gamma=0.5)
@example(seed=1, n=6, d=1, nu=0.05, gamma=1.0)  # nu * n < 1: a single fractional support vector
@example(seed=2, n=25, d=3, nu=0.9, gamma=2.0)
def test_decision_function_matches_sklearn(kata, seed, n, d, nu, gamma):
    X = make_data(seed, n, d, nu)
    got, ref, call = fit_both(kata, X, nu, gamma)
    X_new = np.vstack([X, np.random.default_rng(seed + 1).normal(size=(10, X.shape[1])) * 2.5])
    tol = REL_TOL * nu * len(X)
    assert_close(got.score_samples(X_new), ref.score_samples(X_new), rtol=0, atol=tol,
                 name="score_samples (sum_i alpha_i k(x_i, x); alphas in [0, 1] summing to nu*n)", call=call)
    assert_close(got.decision_function(X_new), ref.decision_function(X_new), rtol=0, atol=tol,
                 name="decision_function (score_samples - rho)", call=call)
    assert_close(got.rho_, -ref.intercept_[0], rtol=0, atol=tol, name="rho_", call=call)
    clear = np.abs(ref.decision_function(X_new)) > 1e-4 * nu * len(X)  # boundary points may go either way
    pred = np.asarray(got.predict(X_new))
    assert_equal(pred[clear], ref.predict(X_new)[clear], name="predict (+1 inlier, -1 outlier)", call=call)


@settings(max_examples=15)
@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), nu=NUS, gamma=GAMMAS)
@example(seed=3, n=12, d=2, nu=0.25, gamma=0.1)
def test_dual_solution_is_feasible_and_optimal(kata, seed, n, d, nu, gamma):
    """0 <= alpha_i <= 1, sum alpha = nu*n, and 1/2 alpha^T K alpha equals libsvm's optimum."""
    X = make_data(seed, n, d, nu)
    got, ref, call = fit_both(kata, X, nu, gamma)
    n = len(X)
    alpha = full_alpha(got, n)
    lo, hi = alpha.min(), alpha.max()
    assert lo >= -1e-9 and hi <= 1 + 1e-9, f"{call}: alphas range over [{lo:.3g}, {hi:.3g}], expected [0, 1]"
    assert_close(alpha.sum(), nu * n, rtol=0, atol=1e-7, name="sum of the alphas (nu * n)", call=call)
    K = rbf_kernel(X, X, gamma=gamma)
    alpha_ref = full_alpha(ref, n)
    assert_close(0.5 * alpha @ K @ alpha, 0.5 * alpha_ref @ K @ alpha_ref, rtol=1e-7, atol=1e-10,
                 name="dual objective 1/2 alpha^T K alpha", call=call)


@settings(max_examples=15)
@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), nu=NUS, gamma=GAMMAS)
def test_nu_bounds_the_outlier_and_support_vector_fractions(kata, seed, n, d, nu, gamma):
    """Schölkopf et al. (2001), Proposition 4: fraction of training outliers <= nu <= fraction of SVs."""
    X = make_data(seed, n, d, nu)
    got, _, call = fit_both(kata, X, nu, gamma)
    n = len(X)
    tol = REL_TOL * nu * n
    outliers = float(np.mean(got.decision_function(X) < -tol))
    svs = float(np.mean(full_alpha(got, n) > 1e-6))
    assert outliers <= nu + 1e-12 <= svs + 2e-12, (
        f"{call}: outlier fraction {outliers:.3f}, nu {nu}, support-vector fraction {svs:.3f}: "
        "expected outliers <= nu <= SVs")


@settings(max_examples=5)
@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), nu=NUS, gamma=GAMMAS)
@example(seed=4, n=10, d=2, nu=0.5, gamma=1.0)
def test_predict_is_plus_one_only_strictly_inside(kata, seed, n, d, nu, gamma):
    """predict is +1 where decision_function > 0 and -1 elsewhere, a decision value of exactly 0
    included: rho is moved onto the score of one point so that its decision value is exactly 0."""
    X = make_data(seed, n, d, nu)
    with threadpool_limits(1):
        model = kata.OneClassSVM(nu=nu, gamma=gamma).fit(X)
        X_new = np.vstack([X, np.random.default_rng(seed + 1).normal(size=(5, X.shape[1])) * 2.5])
        on_boundary = float(np.asarray(model.score_samples(X_new))[0])
        model.rho_, model.intercept_ = on_boundary, -on_boundary
        dec = np.asarray(model.decision_function(X_new))
        pred = np.asarray(model.predict(X_new))
    call = describe_call(f"OneClassSVM(nu={nu}, gamma={gamma}).fit(X) with rho_ = score_samples(X_new)[0]; .predict",
                         X_new)
    assert_equal(pred, np.where(dec > 0, 1, -1), name="predict (+1 where decision_function > 0, -1 elsewhere, "
                 f"also at exactly 0; decision_function(X_new)[0] = {dec[0]!r})", call=call)


@settings(max_examples=5)  # a handful of draws: the answer (every alpha = 1) does not depend on the data
@given(seed=seeds(), n=st.integers(2, 8), d=st.integers(1, 3))
@example(seed=0, n=2, d=1)
def test_nu_one_is_allowed_and_makes_every_point_a_bounded_support_vector(kata, seed, n, d):
    """nu = 1 is the top of 0 < nu <= 1: sum alpha = n with every alpha <= 1 forces alpha = 1 everywhere."""
    X = np.random.default_rng(seed).normal(size=(n, d))
    call = describe_call("OneClassSVM(nu=1.0, gamma=0.5).fit", X)
    got = call_unmodified(kata.OneClassSVM(nu=1.0, gamma=0.5).fit, X)
    assert_close(full_alpha(got, n), np.ones(n), rtol=0, atol=1e-8, name="alpha (all at the bound 1)", call=call)


@given(nu=st.sampled_from([0.0, -0.5, 1.5]))
def test_rejects_nu_outside_zero_one(kata, nu):
    with pytest.raises(ValueError):
        kata.OneClassSVM(nu=nu, gamma=1.0).fit(np.random.default_rng(0).normal(size=(6, 2)))
