"""Tests for found-02-3, numerically stable log-space functions.

References: scipy.special.logsumexp, softmax and log_expit, numpy.logaddexp(0, x) for softplus, and
mpmath at 40 significant digits for log1mexp, all at arguments where the naive formulas overflow,
underflow, or lose every significant digit. Comparisons are relative (atol = 0) wherever a tiny
true value must come out tiny rather than 0.
"""
import mpmath
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import special

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

# Relative accuracy a stable float32 / float64 implementation reaches (a few ulps, plus the
# condition number of log near 1 for the log-space results).
RTOL = {np.float32: 2e-6, np.float64: 1e-13}
TINY = {np.float32: float(np.finfo(np.float32).tiny), np.float64: float(np.finfo(np.float64).tiny)}  # subnormals lose digits
SHAPES = st.sampled_from([(5,), (3, 4), (2, 3, 2), (1, 1)])
SCALES = st.sampled_from([1.0, 30.0, 1000.0])
EXTREMES = np.array([-1000.0, -100.0, -50.0, -20.0, -1.0, -1e-20, 0.0, 1e-20, 1.0, 20.0, 50.0, 100.0, 1000.0])


def drawn(seed: int, shape: tuple[int, ...], scale: float, dtype: type, masked: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * scale
    if masked:
        x[rng.random(shape) < 0.3] = -np.inf
    return x.astype(dtype)


@given(shape=SHAPES, seed=seeds(), scale=SCALES, dtype=float_dtypes(), masked=st.booleans(), data=st.data())
@example(shape=(3, 4), seed=0, scale=1000.0, dtype=np.float64, masked=False, data=None)
@example(shape=(2, 3, 2), seed=1, scale=1.0, dtype=np.float32, masked=True, data=None)
def test_logsumexp_matches_scipy(kata, shape, seed, scale, dtype, masked, data):
    x = drawn(seed, shape, scale, dtype, masked)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis") if data else -1
    call = describe_call("logsumexp", x, axis=axis)
    got = call_unmodified(kata.logsumexp, x, axis=axis)
    want = special.logsumexp(x.astype(np.float64), axis=axis)
    assert_shape(got, want.shape, call=call)
    assert_dtype(got, dtype, call=call)
    assert_close(got, want, rtol=RTOL[dtype], atol=RTOL[dtype], call=call)


def test_logsumexp_of_fully_masked_slice_is_minus_inf(kata):
    x = np.array([[0.0, 1.0, -np.inf], [-np.inf, -np.inf, -np.inf]])
    got = kata.logsumexp(x, axis=1)
    assert got[1] == -np.inf and np.isclose(got[0], np.log(1 + np.e)), (
        f"logsumexp({x.tolist()}, axis=1) returned {got}, expected [{np.log(1 + np.e):.6g}, -inf]: a row of -inf "
        "has max -inf, and -inf - (-inf) is NaN: shift by 0 for such rows")


@given(shape=SHAPES, seed=seeds(), scale=SCALES, dtype=float_dtypes(), masked=st.booleans(), data=st.data())
@example(shape=(3, 4), seed=0, scale=1000.0, dtype=np.float64, masked=False, data=None)
def test_softmax_matches_scipy(kata, shape, seed, scale, dtype, masked, data):
    x = drawn(seed, shape, scale, dtype, masked)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis") if data else -1
    finite_max = np.max(np.where(np.isfinite(x), 0, -np.inf), axis=axis)
    if masked and np.any(np.isinf(finite_max)):  # a fully masked slice has no softmax: unmask one entry
        x = np.where(np.isinf(x), np.asarray(-5.0, dtype=dtype), x)
    call = describe_call("softmax", x, axis=axis)
    got = call_unmodified(kata.softmax, x, axis=axis)
    assert_shape(got, x.shape, call=call)
    assert_dtype(got, dtype, call=call)
    want = special.softmax(x.astype(np.float64), axis=axis)
    assert_close(got, want, rtol=RTOL[dtype] * 10, atol=RTOL[dtype] * 0.01, call=call)


@given(seed=seeds(), dtype=float_dtypes(), scale=SCALES)
@example(seed=0, dtype=np.float64, scale=1000.0)
def test_log_sigmoid_matches_scipy(kata, seed, dtype, scale):
    x = np.concatenate([EXTREMES, drawn(seed, (8,), scale, np.float64)]).astype(dtype)
    call = describe_call("log_sigmoid", x)
    got = call_unmodified(kata.log_sigmoid, x)
    assert_dtype(got, dtype, call=call)
    # Relative error only (down to the subnormals): log σ(50) = -1.9e-22 must not come out as 0, log σ(-1000) = -1000 not -inf.
    assert_close(got, special.log_expit(x.astype(np.float64)), rtol=RTOL[dtype], atol=TINY[dtype], call=call)


@given(seed=seeds(), dtype=float_dtypes(), scale=SCALES)
@example(seed=0, dtype=np.float64, scale=1000.0)
def test_softplus_matches_logaddexp(kata, seed, dtype, scale):
    x = np.concatenate([EXTREMES, drawn(seed, (8,), scale, np.float64)]).astype(dtype)
    call = describe_call("softplus", x)
    got = call_unmodified(kata.softplus, x)
    assert_dtype(got, dtype, call=call)
    # softplus(-50) = 1.9e-22: log(1 + e^x) rounds it to 0; log1p keeps it.
    assert_close(got, np.logaddexp(0.0, x.astype(np.float64)), rtol=RTOL[dtype], atol=TINY[dtype], call=call)


def log1mexp_reference(x: np.ndarray) -> np.ndarray:
    with mpmath.workdps(480):  # 1 − e^(−1000) needs ~435 digits before its log is exact
        return np.array([float(mpmath.log(1 - mpmath.exp(mpmath.mpf(float(v))))) if v < 0 else -np.inf
                         for v in x.ravel()]).reshape(x.shape)


@given(exponents=st.lists(st.floats(-30, 3, width=32), min_size=1, max_size=8), dtype=float_dtypes())
@example(exponents=[-20.0, -1.0, np.log10(np.log(2.0)), 0.0, 1.6, 3.0], dtype=np.float64)
def test_log1mexp_matches_mpmath(kata, exponents, dtype):
    """x = −10^u for u in [−30, 3]: from −1e-30 (1 − e^x ≈ 1e-30) to −1000 (1 − e^x ≈ 1)."""
    x = (-(10.0 ** np.array(exponents))).astype(dtype)
    call = describe_call("log1mexp", x)
    got = call_unmodified(kata.log1mexp, x)
    assert_dtype(got, dtype, call=call)
    assert_close(got, log1mexp_reference(x), rtol=RTOL[dtype], atol=TINY[dtype], call=call)


def test_log1mexp_at_zero_and_positive(kata):
    got = kata.log1mexp(np.array([0.0, -1.0]))
    assert got[0] == -np.inf, f"log1mexp(0) returned {got[0]!r}, expected -inf (log of 1 - 1)"
    with pytest.raises(ValueError):
        kata.log1mexp(np.array([-1.0, 1e-3]))
        pytest.fail("log1mexp([-1.0, 0.001]) returned instead of raising ValueError: log(1 - e^x) needs x <= 0")
