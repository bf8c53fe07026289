"""Tests for found-03-2, Welford's online mean/variance and sample moments.

References: numpy.mean and numpy.var (accurate two-pass algorithms) on streams offset by up to 1e8,
where Σx² − n·mean² loses every digit; merged statistics against those of the concatenated data;
scipy.stats.skew and scipy.stats.kurtosis for the higher moments.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

OFFSETS = st.sampled_from([0.0, 1e4, 1e8, -1e8])


def stream(seed: int, n: int, offset: float, scale: float = 1.0) -> np.ndarray:
    return offset + scale * np.random.default_rng(seed).standard_normal(n)


def snapshot(rs) -> tuple:
    return rs.count, (rs.mean if rs.count else None), (rs.variance(0) if rs.count else None)


def fed(kata, xs: np.ndarray):
    rs = kata.RunningStats()
    for x in xs:
        rs.update(float(x))
    return rs


# Welford's error is about n · eps · |offset| / std relative to the variance: <= 1e-6 at offset 1e8.
@given(n=st.integers(2, 300), seed=seeds(), offset=OFFSETS, ddof=st.sampled_from([0, 1]))
@example(n=2, seed=0, offset=1e8, ddof=1)
@example(n=300, seed=1, offset=-1e8, ddof=0)
def test_update_matches_numpy_with_a_huge_offset(kata, n, seed, offset, ddof):
    xs = stream(seed, n, offset)
    rs = fed(kata, xs)
    call = f"RunningStats fed {n} values N({offset:g}, 1) one by one"
    assert rs.count == n, f"{call}: count = {rs.count}, expected {n}"
    assert_close(rs.mean, np.mean(xs), rtol=1e-14, atol=1e-12, name="mean", call=call)
    want = np.var(xs, ddof=ddof)
    hint = ""
    if not np.isclose(rs.variance(ddof), want, rtol=1e-6):
        hint = " (a variance from Σx² − n·mean² cancels catastrophically when the mean is 1e8)"
    assert_close(rs.variance(ddof), want, rtol=1e-6, atol=0, name=f"variance(ddof={ddof}){hint}", call=call)


@given(sizes=st.lists(st.integers(0, 40), min_size=1, max_size=5), seed=seeds(), offset=OFFSETS)
@example(sizes=[0, 3], seed=0, offset=1e8)
@example(sizes=[3, 0, 2], seed=2, offset=0.0)  # an empty batch after data must change nothing
@example(sizes=[1, 1], seed=1, offset=0.0)
def test_update_batch_equals_the_whole_stream(kata, sizes, seed, offset):
    rng = np.random.default_rng(seed)
    rs, seen = kata.RunningStats(), []
    for i, size in enumerate(sizes):
        batch = offset + rng.standard_normal(size) * (1 + i)  # batches of different spread
        call = describe_call("RunningStats.update_batch", batch)
        call_unmodified(rs.update_batch, batch, fn_name="RunningStats.update_batch")
        seen.extend(batch)
    seen = np.array(seen)
    call = f"RunningStats after update_batch on batches of sizes {sizes}"
    assert rs.count == len(seen), f"{call}: count = {rs.count}, expected {len(seen)}"
    if len(seen) >= 2:
        assert_close(rs.mean, seen.mean(), rtol=1e-14, atol=1e-10, name="mean", call=call)
        assert_close(rs.variance(), np.var(seen, ddof=1), rtol=1e-6, atol=0, name="variance(ddof=1)", call=call)


def test_update_batch_accepts_any_shape(kata):
    rs = kata.RunningStats()
    rs.update_batch(np.arange(6.0).reshape(2, 3))
    assert rs.count == 6 and np.isclose(rs.variance(), 3.5), (
        f"update_batch(arange(6).reshape(2, 3)): count {rs.count}, variance {rs.variance() if rs.count > 1 else None}; "
        "expected 6 and 3.5")


@given(na=st.integers(0, 50), nb=st.integers(0, 50), seed=seeds(), offset=OFFSETS, shift=st.sampled_from([0.0, 5.0, 1e3]))
@example(na=1, nb=1, seed=0, offset=1e8, shift=5.0)
@example(na=0, nb=5, seed=1, offset=0.0, shift=0.0)
@example(na=30, nb=2, seed=2, offset=0.0, shift=1e3)  # unequal counts: the means must be weighted
def test_merge_equals_the_concatenation(kata, na, nb, seed, offset, shift):
    xa, xb = stream(seed, na, offset), stream(seed + 1, nb, offset + shift, scale=3.0)
    a, b = fed(kata, xa), fed(kata, xb)
    state = [snapshot(s) for s in (a, b)]
    m = a.merge(b)
    assert m is not a and m is not b, "merge must return a new RunningStats, not one of its inputs"
    assert [snapshot(s) for s in (a, b)] == state, "merge changed one of its inputs"
    both = np.concatenate([xa, xb])
    call = f"merge of streams of {na} and {nb} values (means {offset:g} and {offset + shift:g})"
    assert m.count == na + nb, f"{call}: count = {m.count}, expected {na + nb}"
    if na + nb >= 1:
        assert_close(m.mean, both.mean(), rtol=1e-14, atol=1e-10, name="mean", call=call)
    if na + nb >= 2:
        assert_close(m.variance(0), np.var(both), rtol=1e-6, atol=0, name="variance(ddof=0)", call=call)


def test_empty_and_too_small_raise(kata):
    rs = kata.RunningStats()
    with pytest.raises(ValueError):
        _ = rs.mean
        pytest.fail("RunningStats().mean returned instead of raising ValueError: no data")
    rs.update(3.0)
    assert rs.mean == 3.0 and rs.variance(0) == 0.0, f"after update(3.0): mean {rs.mean}, variance(0) {rs.variance(0)}"
    for ddof in (1, 2):
        with pytest.raises(ValueError):
            rs.variance(ddof)
            pytest.fail(f"variance(ddof={ddof}) with one value returned instead of raising ValueError")
    rs.update(5.0)
    assert rs.variance(1) == 2.0, f"variance(ddof=1) of [3, 5] = {rs.variance(1)}, expected 2.0"
    with pytest.raises(ValueError):
        rs.variance(2)
        pytest.fail("variance(ddof=2) with two values returned instead of raising ValueError: n <= ddof")


@given(n=st.integers(1, 200), seed=seeds(), offset=OFFSETS, dist=st.sampled_from(["normal", "exponential", "uniform"]))
@example(n=1, seed=0, offset=0.0, dist="normal")
def test_central_moments_match_scipy(kata, n, seed, offset, dist):
    rng = np.random.default_rng(seed)
    x = offset + {"normal": rng.standard_normal, "exponential": rng.exponential, "uniform": rng.random}[dist](n)
    call = describe_call("central_moments", x)
    mean, var, skew, kurt = call_unmodified(kata.central_moments, x)
    assert_close(mean, np.mean(x), rtol=1e-14, atol=1e-10, name="mean", call=call)
    assert_close(var, np.var(x), rtol=1e-6, atol=1e-300, name="variance (ddof=0)", call=call)
    if n >= 3 and np.var(x) > 0:
        assert_close(skew, stats.skew(x), rtol=1e-5, atol=1e-8, name="skewness", call=call)
        assert_close(kurt, stats.kurtosis(x), rtol=1e-5, atol=1e-8, name="excess kurtosis (normal -> 0)", call=call)


def test_central_moments_of_known_samples(kata):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])  # any shape: the values 1..4
    mean, var, skew, kurt = kata.central_moments(x)
    assert (mean, var, skew) == (2.5, 1.25, 0.0), f"central_moments([1, 2, 3, 4]) gave {mean}, {var}, {skew}"
    assert np.isclose(kurt, 1.64 - 3.0), f"central_moments([1, 2, 3, 4]) excess kurtosis {kurt}, expected -1.36"
    mean, var, skew, kurt = kata.central_moments(np.full(5, 7.0))
    assert mean == 7.0 and var == 0.0 and np.isnan(skew) and np.isnan(kurt), (
        f"central_moments(constant 7) gave {mean}, {var}, {skew}, {kurt}; expected 7.0, 0.0, nan, nan")
    with pytest.raises(ValueError):
        kata.central_moments(np.array([]))
        pytest.fail("central_moments([]) returned instead of raising ValueError")
