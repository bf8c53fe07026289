"""Tests for sys-04-2, INT4 group-wise weight quantization and its error against the group size.

References: the closed form (absmax / 7 symmetric; GPTQ's min/max including 0 with a zero point,
asymmetric) computed in float64 numpy with numpy.round (half to even); the element-wise bound of half
a quantization step; and the measured error on heavy-tailed (Student-t) weights, which falls as the
groups shrink (100 seeds checked: strictly decreasing from per-row to groups of 8, asymmetric below
symmetric).
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

GROUPS = st.sampled_from([1, 2, 4, 8, 16])


def reference(w, g, symmetric):
    x = w.astype(np.float64).reshape(w.shape[0], -1, g)
    if symmetric:
        scale, zero, lo, hi = np.abs(x).max(-1) / 7, np.zeros(x.shape[:2]), -8, 7
    else:
        lo_v, hi_v = np.minimum(x.min(-1), 0), np.maximum(x.max(-1), 0)
        scale, lo, hi = (hi_v - lo_v) / 15, 0, 15
        zero = np.round(-lo_v / np.where(scale > 0, scale, 1))
    safe = np.where(scale > 0, scale, 1)
    q = np.clip(np.round(x / safe[..., None]) + zero[..., None], lo, hi)
    return q.reshape(w.shape), scale, zero


def heavy_tailed(seed, rows, cols):
    return (np.random.default_rng(seed).standard_t(3, (rows, cols)) * 0.02).astype(np.float32)


@given(seed=seeds(), rows=st.integers(1, 4), n_groups=st.integers(1, 4), g=GROUPS, symmetric=st.booleans(),
       shift=st.sampled_from([0.0, 0.05]))
@example(seed=0, rows=2, n_groups=2, g=4, symmetric=False, shift=0.05)  # all-positive groups: zero point 0
def test_quantize_matches_the_closed_form(kata, seed, rows, n_groups, g, symmetric, shift):
    w = heavy_tailed(seed, rows, n_groups * g) + np.float32(shift)
    call = describe_call("quantize_int4", w, g, symmetric=symmetric)
    q, scale, zero = call_unmodified(kata.quantize_int4, w, g, symmetric=symmetric, fn_name="quantize_int4")
    assert q.dtype == np.int8 and zero.dtype == np.int8, f"{call} returned q {q.dtype} and zero {zero.dtype}; expected int8"
    wq, ws, wz = reference(w, g, symmetric)
    assert_close(scale, ws, rtol=1e-12, atol=0, call=call, name="scales, one per (row, group)")
    assert_equal(zero, wz, call=call, name="zero points")
    assert_equal(q, wq, call=call, name="codes")


def test_rounding_is_half_to_even_and_symmetric_codes_skip_minus_8(kata):
    w = np.array([[7.0, 2.5, -3.5, 0.5, -7.0, 1.5, -0.5, 0.0]], dtype=np.float32)
    q, scale, _ = kata.quantize_int4(w, 8)
    assert_close(scale, [[1.0]], rtol=0, atol=0, call="quantize_int4(w, 8)", name="scale absmax / 7")
    assert_equal(q, [[7, 2, -4, 0, -7, 2, 0, 0]], call="quantize_int4([[7, 2.5, -3.5, 0.5, -7, 1.5, -0.5, 0]], 8)",
                 name="codes (numpy.round: halves go to the even neighbour)")


@given(value=st.sampled_from([0.0, 0.25, -3.0]), g=st.sampled_from([1, 4]), symmetric=st.booleans())
def test_constant_groups_come_back_exactly(kata, value, g, symmetric):
    """A group of equal values (zero included) has nothing to round: no 0 / 0, exact round trip."""
    w = np.full((2, 8), value, dtype=np.float32)
    call = describe_call("quantize_int4", w, g, symmetric=symmetric)
    with np.errstate(all="raise"):
        back = kata.dequantize_int4(*kata.quantize_int4(w, g, symmetric=symmetric), g)
    assert_close(back, w, rtol=1e-6, atol=0, call=f"dequantize_int4(*{call}, {g})")


@given(seed=seeds(), rows=st.integers(1, 4), n_groups=st.integers(1, 3), g=GROUPS, symmetric=st.booleans())
def test_dequantize_and_the_half_step_bound(kata, seed, rows, n_groups, g, symmetric):
    w = heavy_tailed(seed, rows, n_groups * g)
    q, scale, zero = reference(w, g, symmetric)
    q, zero = q.astype(np.int8), zero.astype(np.int8)
    call = describe_call("dequantize_int4", q, scale, zero, g)
    back = call_unmodified(kata.dequantize_int4, q, scale, zero, g, fn_name="dequantize_int4")
    want = ((q.astype(np.float64).reshape(rows, n_groups, g) - zero[..., None]) * scale[..., None]).reshape(w.shape)
    assert_close(back, want, rtol=1e-12, atol=1e-15, call=call)
    bound = np.repeat(scale, g, axis=1) / 2 * (1 + 1e-9) + 1e-12
    assert np.all(np.abs(back - w.astype(np.float64)) <= bound), f"{call}: some weights are more than half a step off"


@given(seed=seeds())
@example(seed=0)
def test_error_falls_as_groups_shrink(kata, seed):
    """Measured on 32 x 512 Student-t(3) weights: smaller groups, smaller scales, smaller error; the
    asymmetric grid, which spends its 16 levels on [min, max] only, beats the symmetric one."""
    w = heavy_tailed(seed, 32, 512)
    sizes = [512, 128, 32, 8]
    sym = call_unmodified(kata.error_vs_group_size, w, sizes, fn_name="error_vs_group_size")  # symmetric by default
    asym = kata.error_vs_group_size(w, sizes, symmetric=False)
    for name, errors, s in (("symmetric", sym, True), ("asymmetric", asym, False)):
        want = [np.linalg.norm(((reference(w, g, s)[0].reshape(32, -1, g) - reference(w, g, s)[2][..., None])
                                * reference(w, g, s)[1][..., None]).reshape(w.shape) - w) / np.linalg.norm(w.astype(np.float64))
                for g in sizes]
        assert_close(errors, want, rtol=1e-9, atol=0, call=describe_call("error_vs_group_size", w, sizes, symmetric=s),
                     name=f"relative Frobenius errors ({name})")
        assert np.all(np.diff(errors) < 0), f"{name} errors {errors} for group sizes {sizes} should fall as groups shrink"
    assert np.all(asym < sym), f"asymmetric errors {asym} should be below symmetric {sym} at every group size"


def test_error_of_all_zero_weights_is_undefined(kata):
    with pytest.raises(ValueError):
        kata.error_vs_group_size(np.zeros((2, 8), dtype=np.float32), [4])
        pytest.fail("error_vs_group_size(zeros, [4]) returned instead of raising ValueError")


@given(cols=st.integers(1, 30), g=st.integers(2, 8))
def test_group_size_must_divide_the_columns(kata, cols, g):
    if cols % g == 0:
        cols += 1
    w = np.ones((2, cols), dtype=np.float32)
    for args in [(w, g), (w, 0), (w[0], 1)]:
        with pytest.raises(ValueError):
            kata.quantize_int4(*args)
            pytest.fail(f"quantize_int4 with w of shape {args[0].shape} and group_size {args[1]} returned instead of raising")


@given(g=st.sampled_from([1, 8, 32, 64, 128, 4096]), symmetric=st.booleans())
@example(g=128, symmetric=True)   # 4.125 bits: a 16-bit scale per 128 weights
@example(g=128, symmetric=False)  # 4.15625: plus a 4-bit zero point
def test_bits_per_weight(kata, g, symmetric):
    want = 4 + (16 if symmetric else 20) / g
    assert_close(kata.bits_per_weight(g, symmetric=symmetric), want, rtol=1e-12, atol=0,
                 call=describe_call("bits_per_weight", g, symmetric=symmetric))
    assert_close(kata.bits_per_weight(g), 4 + 16 / g, rtol=1e-12, atol=0, call=describe_call("bits_per_weight", g),
                 name="default (symmetric)")
    for bad in (0, -g):
        with pytest.raises(ValueError):
            kata.bits_per_weight(bad)
            pytest.fail(f"bits_per_weight({bad}) returned instead of raising ValueError")
