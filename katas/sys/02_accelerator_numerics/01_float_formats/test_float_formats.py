"""Tests for sys-02-1, emulated low-precision rounding.

References: torch's own casts (x.to(torch.float16 / bfloat16 / float8_e5m2 / float8_e4m3fn)),
compared bit for bit; torch.finfo; every value of each format, enumerated from its bit patterns;
numpy.spacing on float16.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.testing import call_unmodified, describe_call

DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16, "e5m2": torch.float8_e5m2, "e4m3fn": torch.float8_e4m3fn}
FMTS = st.sampled_from(sorted(DTYPES))


def torch_round(x: np.ndarray, fmt: str) -> np.ndarray:
    return torch.from_numpy(x).to(DTYPES[fmt]).float().numpy()


def all_values(fmt: str) -> np.ndarray:
    """Every finite non-negative value of the format, sorted, from its bit patterns."""
    dt = DTYPES[fmt]
    bits = torch.arange(2 ** (8 * dt.itemsize), dtype=torch.int32)
    codes = bits.to(torch.uint8) if dt.itemsize == 1 else bits.to(torch.int16)
    v = codes.view(dt).float().numpy()
    v = v[np.isfinite(v) & (v >= 0)]
    return np.unique(v)


def assert_bits_equal(got, want, x, fmt):
    call = describe_call("round_to_format", x, fmt)
    got = np.asarray(got)
    assert got.dtype == np.float32, f"{call} returned dtype {got.dtype}, expected float32"
    assert got.shape == x.shape, f"{call} returned shape {got.shape}, expected {x.shape}"
    same = (got.view(np.uint32) == want.view(np.uint32)) | (np.isnan(got) & np.isnan(want))
    if not same.all():
        i = int(np.argmin(same.ravel()))
        xi, g, w = x.ravel()[i], got.ravel()[i], want.ravel()[i]
        hints = []
        if np.isfinite(w) and np.isfinite(g) and w != 0:
            if abs(g) < abs(w) and fmt == "bf16":
                hints.append("smaller in magnitude than torch: truncating the low 16 bits instead of rounding to nearest even?")
            if g == 0 and abs(w) < 2 * all_values(fmt)[1:].min() * 2 ** FORMAT_M[fmt]:
                hints.append("flushed to zero: keep subnormals (clamp the exponent at emin = 1 - bias)")
        if fmt == "e4m3fn" and abs(w) == 448 and not np.isfinite(g):
            hints.append("e4m3fn has no inf: torch saturates to ±448")
        raise AssertionError(f"{call} differs from torch's x.to({DTYPES[fmt]}) in {int((~same).sum())} of {x.size} "
                             f"values; first: x = {xi!r} ({np.float32(xi).view(np.uint32):#010x}): got {g!r}, "
                             f"torch gives {w!r}" + "".join(f"\n  hint: {h}" for h in hints))


FORMAT_M = {"fp16": 10, "bf16": 7, "e5m2": 2, "e4m3fn": 3}


@given(x=hnp.arrays(np.float32, st.integers(1, 40), elements=st.floats(width=32)), fmt=FMTS)
@example(x=np.array([1 + 2**-11, 1 + 3 * 2**-11, -(1 + 2**-11)], dtype=np.float32), fmt="fp16")  # ties: to even
@example(x=np.array([1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-8 + 2**-20], dtype=np.float32), fmt="bf16")
@example(x=np.array([2.0**-25, 2.0**-24 * 1.5, 3e-8, -0.0, 0.0], dtype=np.float32), fmt="fp16")  # subnormals, signed zero
@example(x=np.array([65504, 65519, 65520, 1e6, -np.inf, np.nan], dtype=np.float32), fmt="fp16")   # overflow to inf
@example(x=np.array([448, 464, 1e6, np.inf, -np.inf, np.nan, -500], dtype=np.float32), fmt="e4m3fn")  # saturation
@example(x=np.array([57344, 61439, 61440, np.inf, 1e-5, 7.6e-6], dtype=np.float32), fmt="e5m2")
@example(x=np.array([3.4e38, -3.39e38, 1e-40, 1e-45], dtype=np.float32), fmt="bf16")
def test_matches_torch_casts(kata, x, fmt):
    got = call_unmodified(kata.round_to_format, x, fmt, fn_name="round_to_format")
    assert_bits_equal(got, torch_round(x, fmt), x, fmt)
    assert not np.shares_memory(got, x), "round_to_format returned a view of x; expected a new array"


@given(fmt=FMTS, picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=20),
       offsets=st.lists(st.integers(-3, 3), min_size=1, max_size=20))
def test_values_near_representable_ones(kata, fmt, picks, offsets):
    """v + j/4 of the local spacing for representable v: exact ties (j = ±2) and both sides of each one."""
    vals = all_values(fmt)
    v = vals[[p % len(vals) for p in picks]].astype(np.float64)
    gap = np.where(v < vals[-1], np.interp(v, vals[:-1], np.diff(vals)), vals[-1] - vals[-2])
    j = np.array([offsets[i % len(offsets)] for i in range(len(v))])
    x = (v + j * gap / 4) * np.where(np.arange(len(v)) % 2, -1.0, 1.0)
    x = x.astype(np.float32)
    assert_bits_equal(kata.round_to_format(x, fmt), torch_round(x, fmt), x, fmt)


@given(fmt=FMTS)
def test_dynamic_range(kata, fmt):
    got = kata.dynamic_range(fmt)
    vals = all_values(fmt)
    fi = torch.finfo(DTYPES[fmt])
    want = {"max": float(fi.max), "min_normal": float(fi.smallest_normal), "min_subnormal": float(vals[vals > 0].min())}
    assert set(got) == set(want), f"dynamic_range({fmt!r}) has keys {sorted(got)}, expected {sorted(want)}"
    for key, w in want.items():
        assert float(got[key]) == w, f"dynamic_range({fmt!r})[{key!r}] = {got[key]!r}, expected {w!r} (torch.finfo / enumeration)"


@given(fmt=FMTS, picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=30), neg=st.booleans())
@example(fmt="e4m3fn", picks=[0, 1, 8, 9], neg=False)   # zero, subnormals and the first normals
def test_ulp_is_the_gap_to_the_next_value(kata, fmt, picks, neg):
    vals = all_values(fmt)
    idx = np.array([p % (len(vals) - 1) for p in picks])  # every value but the largest has a successor
    x = (vals[idx] * (-1 if neg else 1)).astype(np.float32)
    got = call_unmodified(kata.ulp, x, fmt, fn_name="ulp")
    want = vals[idx + 1].astype(np.float64) - vals[idx]
    assert np.asarray(got).dtype == np.float64, f"ulp returned dtype {np.asarray(got).dtype}, expected float64"
    bad = np.asarray(got) != want
    assert not bad.any(), (f"ulp({x[bad][:3].tolist()}, {fmt!r}) = {np.asarray(got)[bad][:3].tolist()}, expected the gap to "
                           f"the next {fmt} value {want[bad][:3].tolist()}")


@given(x=hnp.arrays(np.float32, st.integers(1, 20), elements=st.floats(-60000, 60000, width=32)))
def test_fp16_ulp_matches_numpy_spacing(kata, x):
    x16 = x.astype(np.float16).astype(np.float32)  # representable fp16 values
    got = np.asarray(kata.ulp(x16, "fp16"))
    want = np.spacing(np.abs(x16.astype(np.float16))).astype(np.float64)
    assert np.array_equal(got, want), f"ulp(fp16) = {got[:4].tolist()}, numpy.spacing gives {want[:4].tolist()}"


def test_rejects_invalid_inputs(kata):
    x = np.ones(3, dtype=np.float32)
    for fn in (kata.round_to_format, kata.ulp):
        for args, why in (((x, "fp32"), "an unknown format"), ((x.astype(np.float64), "fp16"), "a float64 x"),
                          ((x.astype(np.float16), "fp16"), "a float16 x")):
            with pytest.raises(ValueError):
                fn(*args)
                pytest.fail(f"{fn.__name__} accepted {why}; expected ValueError")
    for bad in (np.inf, np.nan):
        with pytest.raises(ValueError):
            kata.ulp(np.array([1.0, bad], dtype=np.float32), "bf16")
            pytest.fail(f"ulp accepted {bad}; expected ValueError")
    with pytest.raises(ValueError):
        kata.dynamic_range("e3m4")
        pytest.fail("dynamic_range accepted an unknown format; expected ValueError")
