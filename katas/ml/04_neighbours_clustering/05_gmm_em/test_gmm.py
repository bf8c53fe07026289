"""Tests for ml-04-5, Gaussian mixture model fitted by EM.

References: scipy.stats.multivariate_normal.logpdf and scipy.special.logsumexp for the E-step,
numpy.cov(aweights=...) for the M-step, and sklearn.mixture.GaussianMixture(covariance_type="full",
n_init=1) started from the same weights, means and precisions with the same max_iter, tol and
reg_covar for whole fits: parameters after k iterations, n_iter_, converged_, lower_bound_,
predict_proba, score_samples. Plus EM's invariant: the likelihood never decreases.
"""
import warnings

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture
from threadpoolctl import ThreadpoolController

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# BLAS/OpenMP thread start-up costs far more than these 3x3 solves: run them on one thread.
ONE_THREAD = ThreadpoolController()
# EM is a contraction near its fixed points, so after <= 15 iterations float64 runs that differ
# only in summation order stay within ~1e-12 of each other.
RTOL, ATOL = 1e-7, 1e-9
REG_COVARS = st.sampled_from([1e-6, 1e-3, 0.1])


def problem(seed, n_components, d, n_per):
    """Blobs plus initial parameters that do not come from the learner's code."""
    rng = np.random.default_rng(seed)
    X, _ = make_blobs(n_samples=n_components * n_per, n_features=d, centers=n_components, cluster_std=1.0,
                      random_state=seed)
    means = X[rng.choice(len(X), n_components, replace=False)] + 0.1 * rng.normal(size=(n_components, d))
    weights = rng.uniform(0.5, 1.5, n_components)
    weights /= weights.sum()
    A = rng.normal(size=(n_components, d, d))
    covariances = A @ A.transpose(0, 2, 1) + np.eye(d)
    return X, weights, means, np.linalg.inv(covariances)


def sklearn_fit(X, weights, means, precisions, max_iter, tol, reg_covar):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter stops the loop
        return GaussianMixture(n_components=len(weights), covariance_type="full", n_init=1, weights_init=weights,
                               means_init=means, precisions_init=precisions, max_iter=max_iter, tol=tol,
                               reg_covar=reg_covar, init_params="random", random_state=0).fit(X)


def random_covariances(rng, k, d):
    A = rng.normal(size=(k, d, d))
    return A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)


@given(seed=seeds(), n=st.integers(1, 20), k=st.integers(1, 3), d=st.integers(1, 3))
@example(seed=0, n=1, k=1, d=1)
def test_log_gaussian_density_matches_scipy(kata, seed, n, k, d):
    rng = np.random.default_rng(seed)
    X, means, covs = rng.normal(size=(n, d)) * 2, rng.normal(size=(k, d)), random_covariances(rng, k, d)
    want = np.stack([np.atleast_1d(multivariate_normal(means[j], covs[j]).logpdf(X)) for j in range(k)], axis=1)
    call = describe_call("log_gaussian_density", X, means, covs)
    with ONE_THREAD.limit(limits=1):
        got = kata.log_gaussian_density(X, means, covs)
    # Log-densities of size ~10 from a 3x3 Cholesky solve: 1e-9 relative is generous in float64.
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="log densities", call=call)


@given(seed=seeds(), n=st.integers(1, 20), k=st.integers(1, 3), d=st.integers(1, 3), outlier=st.booleans())
@example(seed=0, n=3, k=2, d=2, outlier=True)
def test_e_step_matches_scipy(kata, seed, n, k, d, outlier):
    """With outlier=True one point sits ~1000 standard deviations from every component."""
    rng = np.random.default_rng(seed)
    X, means, covs = rng.normal(size=(n, d)), rng.normal(size=(k, d)), random_covariances(rng, k, d) * 0.1
    if outlier:
        X[0] = 300.0
    weights = rng.uniform(0.2, 1.0, k)
    weights /= weights.sum()
    logp = np.stack([np.atleast_1d(multivariate_normal(means[j], covs[j]).logpdf(X)) for j in range(k)], axis=1)
    weighted = logp + np.log(weights)
    want_log_resp = weighted - logsumexp(weighted, axis=1, keepdims=True)
    want_ll = logsumexp(weighted, axis=1).mean()
    call = describe_call("e_step", X, weights, means, covs)
    with ONE_THREAD.limit(limits=1):
        log_resp, ll = kata.e_step(X, weights, means, covs)
    assert_close(log_resp, want_log_resp, rtol=1e-7, atol=1e-8, name="log responsibilities", call=call)
    # The outlier's log-density is ~ -1e6: relative tolerance.
    assert_close(ll, want_ll, rtol=1e-9, atol=1e-9, name="mean log-likelihood", call=call)


@given(seed=seeds(), n=st.integers(2, 30), k=st.integers(1, 3), d=st.integers(1, 3), reg_covar=REG_COVARS)
@example(seed=0, n=2, k=1, d=1, reg_covar=1e-6)
def test_m_step_matches_weighted_statistics(kata, seed, n, k, d, reg_covar):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 3
    resp = rng.dirichlet(np.ones(k), size=n)
    call = describe_call("m_step", X, resp, reg_covar)
    with ONE_THREAD.limit(limits=1):
        weights, means, covs = kata.m_step(X, resp, reg_covar)
    want_w = resp.sum(0) / n
    want_mu = np.stack([np.average(X, axis=0, weights=resp[:, j]) for j in range(k)])
    want_cov = np.stack([np.atleast_2d(np.cov(X.T, aweights=resp[:, j], bias=True)) + reg_covar * np.eye(d)
                         for j in range(k)])
    # sklearn's + 10*eps on N_k changes the results in the 15th digit.
    assert_close(weights, want_w, rtol=1e-10, atol=1e-12, name="weights", call=call)
    assert_close(means, want_mu, rtol=1e-10, atol=1e-12, name="means", call=call)
    assert_close(covs, want_cov, rtol=1e-9, atol=1e-12, name="covariances (around the new means)", call=call)


@given(seed=seeds(), k=st.integers(1, 3), d=st.integers(1, 3), n_per=st.integers(8, 20), max_iter=st.integers(1, 15),
       reg_covar=REG_COVARS)
@example(seed=0, k=1, d=1, n_per=8, max_iter=1, reg_covar=1e-6)
@example(seed=1, k=3, d=2, n_per=15, max_iter=15, reg_covar=1e-3)
def test_parameters_after_k_iterations_match_sklearn(kata, seed, k, d, n_per, max_iter, reg_covar):
    X, w, mu, prec = problem(seed, k, d, n_per)
    call = describe_call(f"GaussianMixtureEM(w, mu, prec, max_iter={max_iter}, tol=0.0, reg_covar={reg_covar})"
                         ".fit", X)
    with ONE_THREAD.limit(limits=1):
        model = kata.GaussianMixtureEM(w, mu, prec, max_iter=max_iter, tol=0.0, reg_covar=reg_covar)
        # X and the initial parameters are the caller's: fit must leave them as they were (sklearn reuses them)
        call_unmodified(lambda X, w, mu, prec: model.fit(X), X, w, mu, prec, fn_name="fit")
        ref = sklearn_fit(X, w, mu, prec, max_iter, 0.0, reg_covar)
    assert_close(model.weights_, ref.weights_, rtol=RTOL, atol=ATOL, name="weights_", call=call)
    assert_close(model.means_, ref.means_, rtol=RTOL, atol=ATOL, name="means_", call=call)
    assert_close(model.covariances_, ref.covariances_, rtol=RTOL, atol=ATOL, name="covariances_", call=call)
    assert_close(np.asarray(model.lower_bounds_), np.asarray(ref.lower_bounds_), rtol=RTOL, atol=ATOL,
                 name="lower_bounds_ (mean log-likelihood of each E-step)", call=call)
    assert model.n_iter_ == max_iter, f"{call}: n_iter_ is {model.n_iter_}, expected {max_iter} (tol=0 never stops)"
    assert not model.converged_, f"{call}: converged_ should be False with tol=0 (|change| < 0 never holds)"


@given(seed=seeds(), k=st.integers(1, 3), d=st.integers(1, 3), n_per=st.integers(8, 20),
       tol=st.sampled_from([1e-1, 1e-2, 1e-3, 1e-4]), max_iter=st.sampled_from([5, 100]))
@example(seed=2, k=2, d=2, n_per=10, tol=1e-3, max_iter=100)
def test_stopping_rule_matches_sklearn(kata, seed, k, d, n_per, tol, max_iter):
    X, w, mu, prec = problem(seed, k, d, n_per)
    with ONE_THREAD.limit(limits=1):
        ref = sklearn_fit(X, w, mu, prec, max_iter, tol, 1e-6)
        changes = np.abs(np.diff(np.asarray(ref.lower_bounds_)))
        assume(np.all(np.abs(changes - tol) > 1e-9))  # a change within rounding of tol: either stop is right
        call = describe_call(f"GaussianMixtureEM(w, mu, prec, max_iter={max_iter}, tol={tol}).fit", X)
        model = kata.GaussianMixtureEM(w, mu, prec, max_iter=max_iter, tol=tol).fit(X)
    assert model.n_iter_ == ref.n_iter_, (
        f"{call} ran {model.n_iter_} iterations, sklearn ran {ref.n_iter_}: stop after the first iteration whose "
        "E-step log-likelihood differs from the previous one by less than tol")
    assert bool(model.converged_) == bool(ref.converged_), f"{call}: converged_ is {model.converged_}, expected {ref.converged_}"
    assert_close(model.lower_bound_, ref.lower_bound_, rtol=RTOL, atol=ATOL, name="lower_bound_", call=call)
    assert_close(model.means_, ref.means_, rtol=RTOL, atol=ATOL, name="means_", call=call)


@given(seed=seeds(), k=st.integers(1, 3), d=st.integers(1, 3), n_per=st.integers(8, 15), T=st.integers(2, 8))
@example(seed=3, k=3, d=2, n_per=10, T=8)
def test_em_never_decreases_the_likelihood(kata, seed, k, d, n_per, T):
    """The log-likelihood of the parameters after t iterations, evaluated with scipy, never goes down."""
    X, w, mu, prec = problem(seed, k, d, n_per)
    covs0 = np.linalg.inv(prec)

    def loglik(weights, means, covs):
        logp = np.stack([np.atleast_1d(multivariate_normal(means[j], covs[j]).logpdf(X)) for j in range(k)], axis=1)
        return logsumexp(logp + np.log(weights), axis=1).mean()

    values = [loglik(w, mu, covs0)]
    with ONE_THREAD.limit(limits=1):
        for t in range(1, T + 1):
            m = kata.GaussianMixtureEM(w, mu, prec, max_iter=t, tol=0.0).fit(X)
            values.append(loglik(m.weights_, m.means_, m.covariances_))
    values = np.array(values)
    # reg_covar = 1e-6 adds a ridge that is not part of the likelihood: exact EM's guarantee then
    # holds up to ~1e-10 relative (measured); 1e-8 leaves room without hiding real decreases.
    drops = np.diff(values) < -1e-8 * (1 + np.abs(values[1:]))
    assert not np.any(drops), (
        f"GaussianMixtureEM(..., max_iter=t).fit(X): the mean log-likelihood went down at iteration "
        f"{int(np.argmax(drops)) + 1}: {values.round(8).tolist()}")


@given(seed=seeds(), k=st.integers(1, 3), d=st.integers(1, 3), n_per=st.integers(8, 15), max_iter=st.integers(1, 10))
@example(seed=4, k=2, d=3, n_per=8, max_iter=3)
def test_predictions_match_sklearn(kata, seed, k, d, n_per, max_iter):
    X, w, mu, prec = problem(seed, k, d, n_per)
    Q = X[::2] + np.random.default_rng(seed).normal(size=X[::2].shape)
    with ONE_THREAD.limit(limits=1):
        model = kata.GaussianMixtureEM(w, mu, prec, max_iter=max_iter, tol=0.0).fit(X)
        ref = sklearn_fit(X, w, mu, prec, max_iter, 0.0, 1e-6)
        call = describe_call(f"GaussianMixtureEM(..., max_iter={max_iter}).fit(X).predict_proba", Q)
        proba = model.predict_proba(Q)
        assert_close(proba, ref.predict_proba(Q), rtol=1e-6, atol=1e-8, name="responsibilities", call=call)
        assert_close(model.score_samples(Q), ref.score_samples(Q), rtol=RTOL, atol=ATOL, name="log-likelihoods",
                     call=call.replace("predict_proba", "score_samples"))
        assert_close(model.score(Q), ref.score(Q), rtol=RTOL, atol=ATOL, name="mean log-likelihood",
                     call=call.replace("predict_proba", "score"))
        sure = np.max(ref.predict_proba(Q), axis=1) > 0.5 + 1e-6  # argmax is unambiguous
        assert_equal(np.asarray(model.predict(Q))[sure], ref.predict(Q)[sure], name="predicted components",
                     call=call.replace("predict_proba", "predict"))
