"""Tests for found-03-9, simulating a Poisson process.

References: the two recipes replayed exactly; at FIXED seeds (verdicts never change), a
Kolmogorov–Smirnov test of the gaps against scipy.stats.expon(scale=1/rate) and a chi-square test
of window counts against scipy.stats.poisson (p > 1e-4 each; a wrong rate or a non-random count
gives p far below); and numpy.histogram for the window counts.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

RATES = st.sampled_from([0.5, 2.0, 10.0])


@given(rate=RATES, T=st.sampled_from([0.5, 3.0, 10.0]), seed=seeds())
@example(rate=0.5, T=0.5, seed=0)
def test_poisson_process_replays_the_recipe(kata, rate, T, seed):
    rng = np.random.default_rng(seed)
    want, t = [], 0.0
    while (t := t + rng.exponential(1 / rate)) < T:
        want.append(t)
    call = describe_call("poisson_process", rate, T, seed)
    got = kata.poisson_process(rate, T, seed)
    assert_close(got, np.array(want), rtol=1e-12, atol=1e-12, name="arrival times (cumulative exponential gaps)", call=call)
    assert_seeded(lambda s: kata.poisson_process(rate, 50.0, s), seed, name="arrival times")


@given(rate=RATES, T=st.sampled_from([0.5, 3.0, 10.0]), seed=seeds())
def test_by_counts_replays_the_recipe(kata, rate, T, seed):
    rng = np.random.default_rng(seed)
    want = np.sort(rng.uniform(0, T, rng.poisson(rate * T)))
    call = describe_call("poisson_process_by_counts", rate, T, seed)
    assert_close(kata.poisson_process_by_counts(rate, T, seed), want, rtol=0, atol=0,
                 name="sorted uniform times after a Poisson count", call=call)


@pytest.mark.parametrize(("method", "rate"), [(m, r) for m in ("poisson_process", "poisson_process_by_counts")
                                              for r in (0.5, 4.0)])
def test_gaps_are_exponential(kata, method, rate):
    """Both constructions give i.i.d. Exponential(rate) gaps: the same process."""
    for seed in (101, 202):
        times = getattr(kata, method)(rate, 4000 / rate, seed)
        gaps = np.diff(np.concatenate([[0.0], times]))
        assert np.all(gaps >= 0), f"{method}: arrival times are not increasing"
        p = stats.kstest(gaps, stats.expon(scale=1 / rate).cdf).pvalue
        assert p > 1e-4, (f"{method}(rate={rate}, seed={seed}): KS p = {p:.2g} for the gaps against Exponential(rate); "
                          f"mean gap {gaps.mean():.4g}, expected {1 / rate:.4g}")


@pytest.mark.parametrize("method", ["poisson_process", "poisson_process_by_counts"])
def test_window_counts_are_poisson(kata, method):
    rate, width, T = 3.0, 1.0, 3000.0
    counts = kata.counts_per_window(getattr(kata, method)(rate, T, 7), T, width)
    ks = np.arange(0, 10)
    observed = np.array([np.sum(counts == k) for k in ks[:-1]] + [np.sum(counts >= ks[-1])])
    probs = np.r_[stats.poisson(rate * width).pmf(ks[:-1]), stats.poisson(rate * width).sf(ks[-1] - 1)]
    p = stats.chisquare(observed, probs * len(counts)).pvalue
    assert p > 1e-4, (f"{method}: counts per unit window do not look Poisson({rate}) (chi-square p = {p:.2g}); "
                      f"mean {counts.mean():.3f}, variance {counts.var():.3f}, both should be {rate}")


@given(n=st.integers(0, 60), seed=seeds(), width=st.sampled_from([0.25, 0.5, 1.0]), windows=st.integers(1, 12))
@example(n=0, seed=0, width=1.0, windows=3)
def test_counts_per_window_matches_histogram(kata, n, seed, width, windows):
    T = width * windows
    rng = np.random.default_rng(seed)
    arrivals = np.sort(np.concatenate([rng.uniform(0, T, n), rng.integers(0, windows, 3) * width]))  # on boundaries too
    call = describe_call("counts_per_window", arrivals, T, width)
    got = kata.counts_per_window(arrivals, T, width)
    want = np.histogram(arrivals, bins=np.arange(windows + 1) * width)[0]
    want[-1] -= np.sum(arrivals == T)  # numpy's last bin is closed; ours are all half-open
    assert_equal(got, want, name="counts in [k·w, (k+1)·w)", call=call)


def test_boundary_arrivals_belong_to_the_window_they_start(kata):
    got = kata.counts_per_window(np.array([-0.5, 0.0, 1.0, 1.0, 2.5, 3.0]), 3.0, 1.0)
    assert_equal(got, [1, 2, 1], name="counts", call="counts_per_window([-0.5, 0, 1, 1, 2.5, 3], T=3, width=1)")


def test_invalid_arguments_raise(kata):
    cases = [(kata.poisson_process, (0.0, 1.0, 0)), (kata.poisson_process, (1.0, 0.0, 0)),
             (kata.poisson_process_by_counts, (-1.0, 1.0, 0)), (kata.poisson_process_by_counts, (1.0, -1.0, 0)),
             (kata.poisson_process_by_counts, (0.0, 1.0, 0)), (kata.poisson_process_by_counts, (1.0, 0.0, 0)),
             (kata.counts_per_window, (np.array([0.5]), 0.0, 1.0)),
             (kata.counts_per_window, (np.array([0.5]), 1.0, 0.0)), (kata.counts_per_window, (np.array([0.5]), 1.0, 0.3))]
    for fn, args in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{fn.__name__}{args} returned instead of raising ValueError")
