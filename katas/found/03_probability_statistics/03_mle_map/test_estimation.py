"""Tests for found-03-3, maximum likelihood and MAP estimation.

References: scipy.stats.norm.fit (the Gaussian MLE); log-likelihoods from scipy.stats, which must
be lower at every perturbed parameter than at the MLE; and posterior modes found numerically by
scipy.optimize.minimize_scalar on log-likelihood + log-prior (scipy.stats.beta, gamma, norm).
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import optimize, stats

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def numeric_mode(neg_log_post, lo: float, hi: float) -> float:
    res = optimize.minimize_scalar(neg_log_post, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    return float(res.x)


@given(n=st.integers(1, 60), seed=seeds(), loc=st.sampled_from([0.0, -3.0, 1e4]), scale=st.sampled_from([0.1, 2.0]))
@example(n=1, seed=0, loc=0.0, scale=1.0)
@example(n=2, seed=1, loc=5.0, scale=2.0)  # n = 2: 1/n vs 1/(n-1) differ by a factor 2
def test_mle_gaussian_matches_norm_fit(kata, n, seed, loc, scale):
    x = stats.norm(loc, scale).rvs(n, random_state=np.random.default_rng(seed))
    call = describe_call("mle_gaussian", x)
    mu, var = call_unmodified(kata.mle_gaussian, x)
    loc_ref, scale_ref = stats.norm.fit(x)
    assert_close(mu, loc_ref, rtol=1e-10, atol=1e-10, name="mu", call=call)
    hint = " (that is the n−1 variance: the MLE divides by n)" if n > 1 and np.isclose(var, np.var(x, ddof=1)) else ""
    assert_close(var, scale_ref**2, rtol=1e-8, atol=1e-300, name=f"sigma² (a variance, not a std){hint}", call=call)
    if n >= 2:
        ll = lambda m, v: stats.norm(m, np.sqrt(v)).logpdf(x).sum()
        for dm, dv in ((1e-3, 1.0), (-1e-3, 1.0), (0.0, 1.01), (0.0, 0.99)):
            assert ll(mu, var) >= ll(mu + dm * scale, var * dv), f"{call}: the log-likelihood rises away from your estimate"


@given(n=st.integers(1, 60), seed=seeds(), p=st.sampled_from([0.0, 0.2, 0.5, 1.0]), a=st.sampled_from([1.0, 2.0, 7.5]),
       b=st.sampled_from([1.0, 3.0]))
@example(n=1, seed=0, p=1.0, a=1.0, b=1.0)   # a = b = 1: the MAP is the MLE
@example(n=5, seed=1, p=0.0, a=2.0, b=3.0)
def test_bernoulli_mle_and_map(kata, n, seed, p, a, b):
    x = (np.random.default_rng(seed).random(n) < p).astype(float)
    call = describe_call("mle_bernoulli", x)
    got = call_unmodified(kata.mle_bernoulli, x)
    assert_close(got, x.mean(), rtol=1e-15, atol=0, name="p (fraction of ones)", call=call)
    call = describe_call("map_bernoulli_beta", x, a, b)
    got = call_unmodified(kata.map_bernoulli_beta, x, a, b)
    k = x.sum()
    post = stats.beta(a + k, b + n - k)
    if a + k > 1 and b + n - k > 1:
        want = numeric_mode(lambda q: -post.logpdf(q), 1e-12, 1 - 1e-12)
    else:  # the posterior density is monotone: its mode sits at 0 or 1
        want = 1.0 if a + k > 1 else 0.0
    mean = (a + k) / (a + b + n)
    hint = " (that is the posterior MEAN; MAP is the mode)" if np.isclose(got, mean) and not np.isclose(mean, want) else ""
    assert_close(got, want, rtol=0, atol=1e-6, name=f"MAP p (posterior mode){hint}", call=call)


@given(n=st.integers(1, 60), seed=seeds(), lam=st.sampled_from([0.0, 0.3, 4.0, 50.0]),
       alpha=st.sampled_from([0.5, 1.0, 3.0]), beta=st.sampled_from([0.1, 1.0, 10.0]))
@example(n=3, seed=0, lam=0.0, alpha=0.5, beta=1.0)  # alpha + Σx < 1: the posterior mode is 0
@example(n=4, seed=1, lam=4.0, alpha=3.0, beta=10.0)
def test_poisson_mle_and_map(kata, n, seed, lam, alpha, beta):
    x = np.random.default_rng(seed).poisson(lam, n).astype(float)
    call = describe_call("mle_poisson", x)
    got = call_unmodified(kata.mle_poisson, x)
    assert_close(got, x.mean(), rtol=1e-15, atol=0, name="λ (sample mean)", call=call)
    call = describe_call("map_poisson_gamma", x, alpha, beta)
    got = call_unmodified(kata.map_poisson_gamma, x, alpha, beta)
    shape, rate = alpha + x.sum(), beta + n
    if shape > 1:
        post = stats.gamma(shape, scale=1 / rate)
        want = numeric_mode(lambda t: -post.logpdf(t), 1e-12, 10 * shape / rate + 10)
    else:
        want = 0.0
    assert_close(got, want, rtol=1e-6, atol=1e-6, name="MAP λ (posterior mode)", call=call)


@given(n=st.integers(1, 40), seed=seeds(), sigma2=st.sampled_from([0.5, 4.0]), mu0=st.sampled_from([-2.0, 0.0, 3.0]),
       tau2=st.sampled_from([0.01, 1.0, 100.0]))
@example(n=1, seed=0, sigma2=4.0, mu0=3.0, tau2=0.01)  # a confident prior barely moves
def test_map_gaussian_mean(kata, n, seed, sigma2, mu0, tau2):
    x = np.random.default_rng(seed).normal(1.0, np.sqrt(sigma2), n)
    call = describe_call("map_gaussian_mean", x, sigma2, mu0, tau2)
    got = call_unmodified(kata.map_gaussian_mean, x, sigma2, mu0, tau2)
    neg = lambda m: -(stats.norm(m, np.sqrt(sigma2)).logpdf(x).sum() + stats.norm(mu0, np.sqrt(tau2)).logpdf(m))
    want = numeric_mode(neg, -20.0, 20.0)
    assert_close(got, want, rtol=0, atol=1e-6, name="MAP mu", call=call)


def test_priors_wash_out_with_data(kata):
    """Many observations: every MAP approaches the MLE."""
    rng = np.random.default_rng(0)
    xb, xp, xg = (rng.random(20000) < 0.3).astype(float), rng.poisson(4.0, 20000).astype(float), rng.normal(1, 1, 20000)
    pairs = [(kata.map_bernoulli_beta(xb, 9.0, 2.0), kata.mle_bernoulli(xb)),
             (kata.map_poisson_gamma(xp, 30.0, 1.0), kata.mle_poisson(xp)),
             (kata.map_gaussian_mean(xg, 1.0, -5.0, 0.1), kata.mle_gaussian(xg)[0])]
    for got, mle in pairs:
        assert abs(got - mle) < 5e-3, f"with 20000 observations the MAP {got:.5f} should be within 5e-3 of the MLE {mle:.5f}"


def test_invalid_inputs_raise(kata):
    cases = [(kata.mle_gaussian, (np.array([]),), "no data"),
             (kata.mle_bernoulli, (np.array([0.0, 2.0]),), "a 2 in Bernoulli data"),
             (kata.mle_bernoulli, (np.array([]),), "no data"),
             (kata.mle_poisson, (np.array([1.0, -1.0]),), "a negative count"),
             (kata.mle_poisson, (np.array([1.5]),), "a non-integer count"),
             (kata.map_bernoulli_beta, (np.array([1.0]), 0.5, 2.0), "a < 1"),
             (kata.map_bernoulli_beta, (np.array([1.0]), 2.0, 0.5), "b < 1"),
             (kata.map_bernoulli_beta, (np.array([3.0]), 2.0, 2.0), "invalid data"),
             (kata.map_poisson_gamma, (np.array([1.0]), 0.0, 1.0), "alpha = 0"),
             (kata.map_poisson_gamma, (np.array([1.0]), 1.0, 0.0), "beta = 0"),
             (kata.map_poisson_gamma, (np.array([-1.0]), 1.0, 1.0), "invalid data"),
             (kata.map_gaussian_mean, (np.array([1.0]), 0.0, 0.0, 1.0), "sigma2 = 0"),
             (kata.map_gaussian_mean, (np.array([1.0]), 1.0, 0.0, 0.0), "tau2 = 0"),
             (kata.map_gaussian_mean, (np.array([]), 1.0, 0.0, 1.0), "no data")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")
