"""Tests for found-03-1, inverse-CDF, Box–Muller and rejection sampling.

References: the recipes in the docstrings replayed exactly; Kolmogorov–Smirnov tests
(scipy.stats.kstest) against scipy.stats.expon, norm and beta. Statistical tests use FIXED seeds,
so a verdict never changes between runs: each KS test must give p > 1e-4 (for a correct sampler a
false alarm happens with probability 1e-4 per seed, and these seeds were checked once), and a
wrong distribution of this size gives p < 1e-10.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, assert_shape, describe_call

FIXED_SEEDS = [11, 22, 33]
N_KS = 4000


def ks_p(sample: np.ndarray, dist: stats.rv_continuous) -> float:
    return float(stats.kstest(sample, dist.cdf).pvalue)


@given(rate=st.sampled_from([0.1, 1.0, 7.5]), n=st.integers(0, 50), seed=seeds())
@example(rate=1.0, n=0, seed=0)
def test_exponential_replays_the_recipe(kata, rate, n, seed):
    call = describe_call("exponential_inverse_cdf", rate, n, seed)
    got = kata.exponential_inverse_cdf(rate, n, seed)
    assert_shape(got, (n,), call=call)
    u = np.random.default_rng(seed).random(n)
    assert_close(got, -np.log1p(-u) / rate, rtol=1e-12, atol=0, name="-log(1 - u) / rate", call=call)


@pytest.mark.parametrize("rate", [0.5, 3.0])
def test_exponential_passes_ks(kata, rate):
    for seed in FIXED_SEEDS:
        x = kata.exponential_inverse_cdf(rate, N_KS, seed)
        p = ks_p(x, stats.expon(scale=1 / rate))
        assert p > 1e-4, (f"exponential_inverse_cdf({rate}, {N_KS}, {seed}): KS p-value {p:.2g} against "
                          f"Exponential(rate={rate}); sample mean {x.mean():.4g}, expected {1 / rate:.4g}")


def test_exponential_rejects_bad_rate(kata):
    for rate in (0.0, -1.0):
        with pytest.raises(ValueError):
            kata.exponential_inverse_cdf(rate, 5, 0)
            pytest.fail(f"exponential_inverse_cdf({rate}, 5, 0) returned instead of raising ValueError")


@given(n=st.integers(0, 41), seed=seeds())
@example(n=1, seed=0)
@example(n=7, seed=1)  # odd: half a pair is dropped
def test_box_muller_replays_the_recipe(kata, n, seed):
    call = describe_call("box_muller", n, seed)
    got = kata.box_muller(n, seed)
    assert_shape(got, (n,), call=call)
    m = (n + 1) // 2
    u = np.random.default_rng(seed).random((2, m))
    r, theta = np.sqrt(-2 * np.log1p(-u[0])), 2 * np.pi * u[1]
    assert_close(got, np.concatenate([r * np.cos(theta), r * np.sin(theta)])[:n], rtol=1e-12, atol=1e-12,
                 name="[r cos θ, r sin θ][:n]", call=call)


def test_box_muller_passes_ks_and_is_uncorrelated(kata):
    for seed in FIXED_SEEDS:
        z = kata.box_muller(N_KS, seed)
        p = ks_p(z, stats.norm())
        assert p > 1e-4, f"box_muller({N_KS}, {seed}): KS p-value {p:.2g} against N(0, 1); mean {z.mean():.3g}, std {z.std():.3g}"
        half = N_KS // 2
        corr = np.corrcoef(z[:half], z[half:])[0, 1]  # the cos and sin halves of the same pairs
        assert abs(corr) < 4 / np.sqrt(half), f"box_muller: the cos and sin halves are correlated ({corr:.3f})"


def beta_setup(a: float = 2.0, b: float = 5.0):
    target = stats.beta(a, b)
    mode = (a - 1) / (a + b - 2)
    M = float(target.pdf(mode))  # the uniform proposal has density 1 on [0, 1]
    return target, (lambda rng, n: rng.random(n)), (lambda x: np.ones_like(x)), M


@pytest.mark.parametrize(("a", "b"), [(2.0, 5.0), (3.0, 3.0), (1.5, 1.2)])
def test_rejection_sampling_targets_the_density(kata, a, b):
    target, sample_q, pdf_q, M = beta_setup(a, b)
    for seed in FIXED_SEEDS:
        x, rate = kata.rejection_sample(target.pdf, sample_q, pdf_q, M, N_KS, seed)
        call = describe_call("rejection_sample", f"beta({a}, {b}).pdf", "uniform", "1", M, N_KS, seed)
        assert_shape(x, (N_KS,), call=call)
        p = ks_p(x, target)
        assert p > 1e-4, f"{call}: KS p-value {p:.2g} against Beta({a}, {b}); sample mean {x.mean():.4g}, expected {target.mean():.4g}"
        assert abs(rate - 1 / M) < 0.03, f"{call}: acceptance rate {rate:.3f}, expected about 1/M = {1 / M:.3f}"


@given(seed=seeds(), n=st.integers(1, 60))
@example(seed=0, n=1)
def test_rejection_sampling_is_seeded(kata, seed, n):
    target, sample_q, pdf_q, M = beta_setup()
    x, _ = kata.rejection_sample(target.pdf, sample_q, pdf_q, M, n, seed)
    assert_shape(x, (n,), call=describe_call("rejection_sample", "pdf", "q", "q_pdf", M, n, seed))
    assert np.all((x >= 0) & (x <= 1)), "rejection_sample returned draws outside the support [0, 1]"
    assert_seeded(lambda s: kata.rejection_sample(target.pdf, sample_q, pdf_q, M, n, s), seed, name="(samples, rate)")


def replay_rejection(pdf, sample_q, pdf_q, M: float, n: int, seed: int) -> tuple[np.ndarray, float]:
    rng = np.random.default_rng(seed)
    kept, accepted, proposed = [], 0, 0
    while accepted < n:
        x, u = sample_q(rng, n), rng.random(n)
        keep = x[u <= pdf(x) / (M * pdf_q(x))]
        kept.append(keep)
        accepted, proposed = accepted + len(keep), proposed + n
    return np.concatenate(kept)[:n], accepted / proposed


@given(seed=seeds(), n=st.integers(1, 40), loose=st.sampled_from([1.0, 1.5, 4.0]))
@example(seed=3, n=1, loose=4.0)
def test_rejection_sampling_replays_the_recipe(kata, seed, n, loose):
    target, sample_q, pdf_q, M = beta_setup()
    call = describe_call("rejection_sample", "beta(2, 5).pdf", "uniform", "1", M * loose, n, seed)
    x, rate = kata.rejection_sample(target.pdf, sample_q, pdf_q, M * loose, n, seed)
    want_x, want_rate = replay_rejection(target.pdf, sample_q, pdf_q, M * loose, n, seed)
    assert_close(x, want_x, rtol=0, atol=0, name="accepted draws (batches of n, first n accepted)", call=call)
    assert_close(rate, want_rate, rtol=1e-12, atol=0, name="acceptance rate (accepted / proposed)", call=call)


def test_rejection_with_a_perfect_proposal_accepts_everything(kata):
    """Target = proposal = Uniform(0, 1) and M = 1: every ratio is exactly 1, and every draw is kept."""
    x, rate = kata.rejection_sample(lambda x: np.ones_like(x), lambda rng, n: rng.random(n), lambda x: np.ones_like(x),
                                    1.0, 50, 0)
    assert rate == 1.0, f"rejection_sample with p = q and M = 1 returned acceptance rate {rate}, expected 1.0"
    assert_close(x, np.random.default_rng(0).random(50), rtol=0, atol=0, name="samples (the first batch, all kept)",
                 call="rejection_sample(uniform, uniform, 1, M=1.0, n=50, seed=0)")


def test_rejection_sampling_with_a_loose_envelope(kata):
    """M twice as large as needed: still exact, but only half as many proposals are accepted."""
    target, sample_q, pdf_q, M = beta_setup()
    x, rate = kata.rejection_sample(target.pdf, sample_q, pdf_q, 2 * M, N_KS, 5)
    assert ks_p(x, target) > 1e-4, "rejection_sample with M doubled no longer matches Beta(2, 5)"
    assert abs(rate - 1 / (2 * M)) < 0.03, f"acceptance rate {rate:.3f} with M doubled, expected {1 / (2 * M):.3f}"


def test_rejection_sampling_detects_a_bad_envelope(kata):
    target, sample_q, pdf_q, M = beta_setup()
    with pytest.raises(ValueError):
        kata.rejection_sample(target.pdf, sample_q, pdf_q, M / 2, 500, 0)
        pytest.fail("rejection_sample with M half the peak density returned instead of raising ValueError: "
                    "pdf(x) > M q(x) means the samples cannot follow pdf")
    for M_bad, n_bad in ((0.0, 10), (-0.5, 10), (-1.0, 10), (M, 0)):
        with pytest.raises(ValueError):
            kata.rejection_sample(target.pdf, sample_q, pdf_q, M_bad, n_bad, 0)
            pytest.fail(f"rejection_sample(M={M_bad}, n={n_bad}) returned instead of raising ValueError")
