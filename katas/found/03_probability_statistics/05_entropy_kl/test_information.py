"""Tests for found-03-5, entropy, cross-entropy and KL divergence.

References: scipy.stats.entropy (entropy and KL, with bases), scipy.stats.multivariate_normal's
entropy, Simpson's rule (scipy.integrate.simpson) on p log(p/q) for 1-D Gaussians, a Monte Carlo estimate of
E_p[log p − log q] at fixed seeds for k-D Gaussians (tolerance five standard errors), and the
identities H(p, q) = H(p) + KL(p ‖ q), KL(p ‖ p) = 0, KL >= 0.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import integrate, stats

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

BASES = st.sampled_from([None, 2.0, 10.0])


def weights(seed: int, n: int, zeros: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.random(n) * rng.choice([1.0, 10.0])  # not normalised
    if zeros and n > 1:
        w[rng.random(n) < 0.4] = 0.0
        w[rng.integers(n)] = 1.0
    return w


@given(n=st.integers(1, 8), seed=seeds(), base=BASES, zeros=st.booleans())
@example(n=1, seed=0, base=None, zeros=False)  # one outcome: no uncertainty
@example(n=4, seed=1, base=2.0, zeros=True)
def test_entropy_matches_scipy(kata, n, seed, base, zeros):
    p = weights(seed, n, zeros)
    call = describe_call("entropy", p, base=base)
    got = call_unmodified(kata.entropy, p, base=base)
    assert_close(got, stats.entropy(p, base=base), rtol=1e-12, atol=1e-14, name="H(p)", call=call)


def test_uniform_entropy_in_bits(kata):
    assert_close(kata.entropy(np.ones(8), base=2), 3.0, rtol=1e-14, atol=0, name="H(uniform over 8) in bits",
                 call="entropy(ones(8), base=2)")


@given(n=st.integers(1, 8), seed=seeds(), base=BASES, zeros=st.booleans())
@example(n=3, seed=0, base=None, zeros=True)
def test_kl_and_cross_entropy_match_scipy(kata, n, seed, base, zeros):
    p, q = weights(seed, n, zeros), weights(seed + 1, n, False) + 0.01
    call = describe_call("kl_divergence", p, q, base=base)
    kl = call_unmodified(kata.kl_divergence, p, q, base=base)
    want = stats.entropy(p, q, base=base)
    if n > 1 and np.isclose(kl, stats.entropy(q, p, base=base)) and not np.isclose(kl, want):
        raise AssertionError(f"{call} returned KL(q ‖ p) = {kl:.6g}; KL(p ‖ q) = {want:.6g} (KL is not symmetric)")
    assert_close(kl, want, rtol=1e-12, atol=1e-14, name="KL(p ‖ q)", call=call)
    assert kl >= -1e-15, f"{call} = {kl} is negative: KL >= 0 (Gibbs' inequality)"
    call = describe_call("cross_entropy", p, q, base=base)
    ce = call_unmodified(kata.cross_entropy, p, q, base=base)
    pn, qn = p / p.sum(), q / q.sum()
    direct = -np.sum(pn[pn > 0] * np.log(qn[pn > 0])) / (np.log(base) if base else 1.0)
    assert_close(ce, direct, rtol=1e-12, atol=1e-14, name="H(p, q) = −Σ p log q", call=call)
    assert_close(kata.kl_divergence(p, p, base=base), 0.0, rtol=0, atol=1e-14, name="KL(p ‖ p)",
                 call=describe_call("kl_divergence", p, p))


def test_kl_is_infinite_off_the_support(kata):
    p, q = np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 1.0])
    assert kata.kl_divergence(p, q) == np.inf, "kl_divergence([.5, .5, 0], [1, 0, 1]) must be inf: q = 0 where p > 0"
    assert kata.cross_entropy(p, q) == np.inf, "cross_entropy([.5, .5, 0], [1, 0, 1]) must be inf"
    assert np.isfinite(kata.kl_divergence(q * [1, 0, 0], p)), "kl_divergence([1, 0, 0], [.5, .5, 0]) is finite: p = 0 terms vanish"


def test_invalid_distributions_raise(kata):
    cases = [(kata.entropy, (np.array([0.5, -0.1]),), "a negative weight"), (kata.entropy, (np.zeros(3),), "all zero"),
             (kata.entropy, (np.ones((2, 2)),), "2-D"),
             (kata.kl_divergence, (np.ones(3), np.ones(2)), "different lengths"),
             (kata.kl_divergence, (np.ones(2), np.array([1.0, -1.0])), "a negative q"),
             (kata.cross_entropy, (np.ones(3), np.ones(4)), "different lengths")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")


def random_cov(seed: int, k: int) -> np.ndarray:
    A = np.random.default_rng(seed).standard_normal((k, k))
    return A @ A.T + 0.5 * np.eye(k)


@given(k=st.integers(1, 4), seed=seeds())
@example(k=1, seed=0)
def test_gaussian_entropy_matches_scipy(kata, k, seed):
    cov = random_cov(seed, k)
    call = describe_call("gaussian_entropy", cov)
    got = call_unmodified(kata.gaussian_entropy, cov)
    assert_close(got, stats.multivariate_normal(np.zeros(k), cov).entropy(), rtol=1e-12, atol=1e-12, call=call)


@given(mu0=st.floats(-3, 3, width=32), mu1=st.floats(-3, 3, width=32), s0=st.floats(0.25, 3, width=32),
       s1=st.floats(0.25, 3, width=32))
@example(mu0=0.0, mu1=0.0, s0=1.0, s1=1.0)
@example(mu0=0.0, mu1=1.0, s0=0.5, s1=2.0)
def test_kl_gaussian_1d_matches_integration(kata, mu0, mu1, s0, s1):
    p, q = stats.norm(mu0, s0), stats.norm(mu1, s1)
    grid = np.linspace(mu0 - 12 * s0, mu0 + 12 * s0, 8001)
    want = integrate.simpson(p.pdf(grid) * (p.logpdf(grid) - q.logpdf(grid)), x=grid)
    call = describe_call("kl_gaussian", mu0, s0**2, mu1, s1**2)
    got = kata.kl_gaussian(np.array([mu0]), np.array([[s0**2]]), np.array([mu1]), np.array([[s1**2]]))
    assert_close(got, want, rtol=1e-7, atol=1e-9, name="KL of 1-D Gaussians", call=call)
    assert_close(kata.kl_gaussian(mu0, s0**2, mu1, s1**2), want, rtol=1e-7, atol=1e-9,
                 name="KL with scalar arguments (k = 1)", call=call)


@pytest.mark.parametrize(("k", "seed"), [(2, 1), (3, 2), (4, 3)])
def test_kl_gaussian_kd_matches_monte_carlo(kata, k, seed):
    rng = np.random.default_rng(seed)
    mu0, mu1 = rng.standard_normal(k), rng.standard_normal(k)
    cov0, cov1 = random_cov(seed + 10, k), random_cov(seed + 20, k)
    p, q = stats.multivariate_normal(mu0, cov0), stats.multivariate_normal(mu1, cov1)
    x = p.rvs(40000, random_state=rng)
    ratio = p.logpdf(x) - q.logpdf(x)
    est, se = ratio.mean(), ratio.std() / np.sqrt(len(x))
    call = describe_call("kl_gaussian", mu0, cov0, mu1, cov1)
    got = call_unmodified(kata.kl_gaussian, mu0, cov0, mu1, cov1)
    assert abs(got - est) <= 5 * se, f"{call} = {got:.6g}; Monte Carlo E_p[log p − log q] = {est:.6g} ± {se:.2g}"
    assert_close(kata.kl_gaussian(mu0, cov0, mu0, cov0), 0.0, rtol=0, atol=1e-12, name="KL(p ‖ p)", call=call)


def test_gaussian_functions_reject_non_pd_covariances(kata):
    for bad in (np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 1.0]])):  # det −3, det 0
        for fn, args in ((kata.gaussian_entropy, (bad,)), (kata.kl_gaussian, (np.zeros(2), bad, np.zeros(2), np.eye(2))),
                         (kata.kl_gaussian, (np.zeros(2), np.eye(2), np.zeros(2), bad))):
            with pytest.raises(ValueError):
                fn(*args)
                pytest.fail(f"{fn.__name__} with covariance {bad.tolist()} returned instead of raising ValueError")
