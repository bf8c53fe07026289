"""Tests for found-03-7, Markov, Chebyshev and Hoeffding bounds.

References: the closed forms; simulation at FIXED seeds (so verdicts never change) showing each bound
holds — the observed tail frequency over N = 20 000 runs never exceeds the bound by more than
4 binomial standard errors — and that Markov and Chebyshev are attained by two- and three-point
distributions; and the Hoeffding sample size: the closed form, which must also be the smallest n that works.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.testing import assert_close

N_SIM = 20000


def slack(p: float) -> float:
    return 4 * math.sqrt(max(p * (1 - p), 1e-4) / N_SIM)


@given(mean=st.floats(0.0, 10.0, width=32), a=st.floats(0.125, 20.0, width=32))
@example(mean=3.0, a=1.0)  # mean / a = 3: a probability bound is capped at 1
@example(mean=0.0, a=1.0)
def test_markov_formula(kata, mean, a):
    got = kata.markov_bound(mean, a)
    assert_close(got, min(mean / a, 1.0), rtol=1e-12, atol=0, name="min(mean / a, 1)", call=f"markov_bound({mean}, {a})")


@given(var=st.floats(0.0, 10.0, width=32), t=st.floats(0.125, 10.0, width=32))
@example(var=4.0, t=1.0)
@example(var=1.0, t=2.0)  # var / t² = 0.25, var / t = 0.5, std / t² = 0.25: only t² with the variance is right
@example(var=9.0, t=2.0)
def test_chebyshev_formula(kata, var, t):
    got = kata.chebyshev_bound(var, t)
    assert_close(got, min(var / t**2, 1.0), rtol=1e-12, atol=0, name="min(var / t², 1)", call=f"chebyshev_bound({var}, {t})")


@given(n=st.integers(1, 500), t=st.floats(0.015625, 1.0, width=32), a=st.sampled_from([0.0, -1.0]), b=st.sampled_from([1.0, 3.0]))
@example(n=1, t=0.015625, a=0.0, b=1.0)  # 2 exp(−tiny) > 1: capped
@example(n=100, t=0.25, a=-1.0, b=3.0)
def test_hoeffding_formula(kata, n, t, a, b):
    got = kata.hoeffding_bound(n, t, a, b)
    want = min(2 * math.exp(-2 * n * t**2 / (b - a) ** 2), 1.0)
    assert_close(got, want, rtol=1e-12, atol=0, name="min(2 exp(−2nt²/(b−a)²), 1)", call=f"hoeffding_bound({n}, {t}, {a}, {b})")


@pytest.mark.parametrize("a", [0.5, 1.0, 2.0, 4.0])
def test_markov_holds_and_is_attained(kata, a):
    rng = np.random.default_rng(1)
    x = rng.exponential(1.0, N_SIM)
    freq = float(np.mean(x >= a))
    bound = kata.markov_bound(1.0, a)
    assert freq <= bound + slack(freq), f"Exponential(1): P(X >= {a}) ≈ {freq:.4f} exceeds markov_bound(1, {a}) = {bound:.4f}"
    two_point = np.where(rng.random(N_SIM) < 0.5 / a if a >= 0.5 else 1.0, a, 0.0)  # mean 0.5, P(X >= a) = 0.5/a
    assert_close(kata.markov_bound(0.5, a), min(0.5 / a, 1.0), rtol=1e-12, atol=0, name="bound for X in {0, a}",
                 call=f"markov_bound(0.5, {a})")
    freq = float(np.mean(two_point >= a))
    assert abs(freq - kata.markov_bound(0.5, a)) <= slack(freq), f"X in {{0, {a}}}: Markov is attained, got {freq:.4f}"


@pytest.mark.parametrize("t", [1.0, 1.5, 2.0, 3.0])
def test_chebyshev_holds_and_is_attained(kata, t):
    rng = np.random.default_rng(2)
    for name, x in (("normal", rng.standard_normal(N_SIM)), ("uniform", rng.uniform(-np.sqrt(3), np.sqrt(3), N_SIM)),
                    ("student-t(5)", rng.standard_t(5, N_SIM) / np.sqrt(5 / 3))):  # all variance 1
        freq = float(np.mean(np.abs(x) >= t))
        bound = kata.chebyshev_bound(1.0, t)
        assert freq <= bound + slack(freq), f"{name}: P(|X| >= {t}) ≈ {freq:.4f} exceeds chebyshev_bound(1, {t}) = {bound:.4f}"
    # X = ±t with probability 1/(2t²) each, else 0: variance 1 and P(|X| >= t) = 1/t² exactly.
    u = rng.random(N_SIM)
    x = np.where(u < 1 / (2 * t**2), t, np.where(u > 1 - 1 / (2 * t**2), -t, 0.0))
    freq = float(np.mean(np.abs(x) >= t))
    assert abs(freq - kata.chebyshev_bound(1.0, t)) <= slack(freq), f"three-point X: Chebyshev is attained at t = {t}"


@pytest.mark.parametrize(("n", "t"), [(10, 0.2), (50, 0.1), (200, 0.05), (30, 0.3)])
def test_hoeffding_holds_for_bounded_means(kata, n, t):
    rng = np.random.default_rng(3)
    for name, draw, lo, hi, mu in (("bernoulli(0.5)", lambda: rng.random((N_SIM, n)) < 0.5, 0.0, 1.0, 0.5),
                                   ("uniform[-1, 3]", lambda: rng.uniform(-1, 3, (N_SIM, n)), -1.0, 3.0, 1.0)):
        means = draw().mean(axis=1)
        freq = float(np.mean(np.abs(means - mu) >= t))
        bound = kata.hoeffding_bound(n, t, lo, hi)
        assert freq <= bound + slack(freq), (f"{name}, n = {n}: P(|mean − μ| >= {t}) ≈ {freq:.4f} exceeds "
                                             f"hoeffding_bound = {bound:.4f}")


@given(t=st.floats(0.015625, 0.5, width=32), delta=st.floats(0.0009765625, 0.5, width=32), a=st.sampled_from([0.0, -2.0]),
       b=st.sampled_from([1.0, 2.0]))
@example(t=0.1, delta=0.05, a=0.0, b=1.0)
@example(t=0.5, delta=0.5, a=0.0, b=1.0)  # small answers
@example(t=1.0, delta=0.5, a=0.0, b=1.0)  # the closed form is 0.69: one sample already suffices
def test_sample_size_is_the_smallest_that_works(kata, t, delta, a, b):
    got = kata.hoeffding_sample_size(t, delta, a, b)
    bound = lambda n: min(2 * math.exp(-2 * n * t**2 / (b - a) ** 2), 1.0)
    assert isinstance(got, int), f"hoeffding_sample_size returned {type(got).__name__}, expected int"
    want = max(1, math.ceil((b - a) ** 2 * math.log(2 / delta) / (2 * t**2)))
    assert got == want, (f"hoeffding_sample_size({t}, {delta}, {a}, {b}) = {got}, expected {want} "
                         f"(bound at {got}: {bound(got):.6g}, at {got - 1}: {bound(max(got - 1, 1)):.6g})")
    # And it is what it claims to be, up to rounding at the exact boundary:
    assert bound(got) <= delta * (1 + 1e-9), f"hoeffding_sample_size = {got} does not reach delta = {delta}"
    assert got == 1 or bound(got - 1) > delta * (1 - 1e-9), f"hoeffding_sample_size = {got}: {got - 1} samples suffice too"


def test_invalid_arguments_raise(kata):
    cases = [(kata.markov_bound, (1.0, 0.0)), (kata.markov_bound, (-1.0, 1.0)), (kata.chebyshev_bound, (1.0, 0.0)),
             (kata.chebyshev_bound, (-1.0, 1.0)), (kata.hoeffding_bound, (0, 0.1, 0.0, 1.0)),
             (kata.hoeffding_bound, (5, 0.0, 0.0, 1.0)), (kata.hoeffding_bound, (5, 0.1, 1.0, 1.0)),
             (kata.hoeffding_sample_size, (0.0, 0.1, 0.0, 1.0)), (kata.hoeffding_sample_size, (0.1, 0.0, 0.0, 1.0)),
             (kata.hoeffding_sample_size, (0.1, 1.0, 0.0, 1.0)), (kata.hoeffding_sample_size, (0.1, 0.1, 2.0, 1.0)),
             (kata.hoeffding_sample_size, (0.1, 0.1, 1.0, 1.0))]
    for fn, args in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{fn.__name__}{args} returned instead of raising ValueError")
