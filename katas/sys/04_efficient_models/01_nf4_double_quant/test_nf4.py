"""Tests for sys-04-1, NF4 quantization and double quantization (QLoRA).

References: the NF4 table published with bitsandbytes (`bitsandbytes.functional`'s hard-coded
"nf4" values, the QLoRA paper's appendix E construction); brute-force nearest-level search; the
bits-per-parameter numbers of the QLoRA paper (section 3: 0.5 bits of constants per parameter
without, 0.127 with double quantization, at block sizes 64 and 256). bitsandbytes itself needs CUDA,
so the published table is the reference.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.stats import norm

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# bitsandbytes.functional.get_4bit_type("nf4"), as published (float32 values).
NF4_PUBLISHED = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
    -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
    0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
    0.7229568362236023, 1.0])


def reference_levels(offset):
    pos = norm.ppf(np.linspace(offset, 0.5, 9)[:-1])
    neg = -norm.ppf(np.linspace(offset, 0.5, 8)[:-1])
    v = np.sort(np.concatenate([pos, [0.0], neg]))
    return v / v.max()


def gaussian_weights(seed, n_blocks, block_size, scale=1.0, outliers=False):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(n_blocks * block_size) * scale
    if outliers:  # heavy tails: a few large weights per tensor, as in real LLM layers
        w[rng.integers(0, w.size, max(1, w.size // 50))] *= 20
    return w.astype(np.float32)


def test_levels_are_the_published_nf4_table(kata):
    got = kata.nf4_levels()
    # the published table went through float32 (torch.linspace): 1e-6 covers that rounding.
    assert_close(got, NF4_PUBLISHED, rtol=0, atol=1e-6, call="nf4_levels()")
    assert got[7] == 0.0 and got[0] == -1.0 and got[15] == 1.0, (
        f"nf4_levels() = {got}: level 7 must be exactly 0 and the ends exactly -1 and 1")


@given(offset=st.floats(0.6, 0.99))
@example(offset=0.9677083)
def test_levels_follow_the_quantile_construction(kata, offset):
    got = kata.nf4_levels(offset)
    assert_close(got, reference_levels(offset), rtol=0, atol=1e-12, call=describe_call("nf4_levels", offset))
    assert np.all(np.diff(got) > 0), f"nf4_levels({offset}) is not strictly increasing: {got}"


@given(offset=st.sampled_from([0.5, 1.0, 0.2, 1.5]))
def test_levels_reject_offsets_outside_the_open_interval(kata, offset):
    with pytest.raises(ValueError):
        kata.nf4_levels(offset)
        pytest.fail(f"nf4_levels({offset}) returned instead of raising ValueError")


@given(seed=seeds(), n_blocks=st.integers(1, 6), block_size=st.sampled_from([1, 4, 16, 64]),
       scale=st.sampled_from([1e-3, 1.0, 50.0]), outliers=st.booleans())
@example(seed=0, n_blocks=2, block_size=64, scale=1.0, outliers=True)
def test_quantize_picks_the_nearest_level_of_each_absmax_block(kata, seed, n_blocks, block_size, scale, outliers):
    w = gaussian_weights(seed, n_blocks, block_size, scale, outliers)
    call = describe_call("quantize_nf4", w, block_size=block_size)
    codes, absmax = call_unmodified(kata.quantize_nf4, w, block_size=block_size, fn_name="quantize_nf4")
    assert codes.dtype == np.uint8 and absmax.dtype == np.float32, (
        f"{call} returned dtypes {codes.dtype}, {absmax.dtype}; expected uint8 codes and float32 absmax")
    blocks = w.astype(np.float64).reshape(n_blocks, block_size)
    want_absmax = np.abs(blocks).max(axis=1)
    assert_close(absmax, want_absmax, rtol=0, atol=0, call=call, name="absmax (one per block)")
    normed = blocks / want_absmax[:, None]
    dist = np.abs(normed[..., None] - NF4_PUBLISHED)
    got_dist = np.take_along_axis(dist, codes.reshape(n_blocks, block_size, 1).astype(np.int64), axis=-1)[..., 0]
    # nearest level (up to the 1e-6 between the published float32 table and float64 levels)
    assert np.all(got_dist <= dist.min(axis=-1) + 2e-6), (
        f"{call}: some codes are not the nearest NF4 level to w / absmax of their block "
        f"(worst: off by {float(np.max(got_dist - dist.min(axis=-1))):.3g})")


@given(seed=seeds(), n_blocks=st.integers(1, 4), block_size=st.sampled_from([2, 8, 64]))
def test_dequantize_is_level_times_absmax(kata, seed, n_blocks, block_size):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 16, n_blocks * block_size).astype(np.uint8)
    absmax = rng.uniform(0.01, 5, n_blocks).astype(np.float32)
    call = describe_call("dequantize_nf4", codes, absmax, block_size=block_size)
    got = call_unmodified(kata.dequantize_nf4, codes, absmax, block_size=block_size, fn_name="dequantize_nf4")
    assert got.dtype == np.float32, f"{call} returned dtype {got.dtype}, expected float32"
    want = (NF4_PUBLISHED[codes.reshape(n_blocks, block_size)] * absmax[:, None].astype(np.float64)).reshape(-1)
    assert_close(got, want, rtol=2e-6, atol=1e-7, call=call)


@given(seed=seeds(), block_size=st.sampled_from([16, 64]), n_blocks=st.integers(1, 3))
@example(seed=0, block_size=16, n_blocks=1)
def test_levels_times_absmax_survive_the_round_trip_and_zero_blocks_stay_zero(kata, seed, block_size, n_blocks):
    rng = np.random.default_rng(seed)
    levels = kata.nf4_levels()
    idx = rng.integers(0, 16, (n_blocks, block_size))
    idx[:, 0] = 15  # every block reaches +1, so absmax is exactly the block's scale
    c = rng.uniform(0.5, 4, n_blocks)
    w = (levels[idx] * c[:, None]).reshape(-1).astype(np.float32)
    w[:block_size] = 0.0  # an all-zero block: absmax 0, codes of the zero level, no NaN
    codes, absmax = kata.quantize_nf4(w, block_size=block_size)
    assert_equal(codes[:block_size], np.full(block_size, 7), call=describe_call("quantize_nf4", w, block_size=block_size),
                 name="codes of an all-zero block (level 7 is 0)")
    back = kata.dequantize_nf4(codes, absmax, block_size=block_size)
    assert_close(back, w, rtol=1e-6, atol=0, call="dequantize_nf4(*quantize_nf4(levels * c))")


def code_entropy(codes):
    p = np.bincount(np.asarray(codes, dtype=np.int64).reshape(-1), minlength=16) / np.size(codes)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


@given(seed=seeds())
def test_nf4_uses_its_codes_about_equally_often(kata, seed):
    """The point of NF4: on normally distributed weights, equal-mass levels are used about equally
    often (entropy near the 4 bits available), clearly more evenly than 16 evenly spaced levels with
    the same absmax scaling (measured over 200 seeds: NF4 3.78-3.94 bits, uniform 3.42-3.71, gap >= 0.23)."""
    w = gaussian_weights(seed, 16, 64)
    codes, _ = kata.quantize_nf4(w)  # the default block size, 64
    blocks = w.astype(np.float64).reshape(16, 64)
    absmax = np.abs(blocks).max(axis=1, keepdims=True)
    uniform = np.linspace(-1, 1, 16)
    uniform_codes = np.abs(blocks[..., None] / absmax[..., None] - uniform).argmin(-1)
    h_nf4, h_uni = code_entropy(codes), code_entropy(uniform_codes)
    assert h_nf4 > 3.7 and h_nf4 > h_uni + 0.1, (
        f"quantize_nf4 on 1024 normal weights: code entropy {h_nf4:.3f} bits, evenly spaced 4-bit levels {h_uni:.3f}; "
        "NF4's codes should be used nearly uniformly (> 3.7 bits) and clearly more evenly")


@given(length=st.integers(1, 40), block_size=st.integers(2, 8))
def test_block_sizes_must_divide_the_length(kata, length, block_size):
    if length % block_size == 0:
        length += 1
    w = np.ones(length, dtype=np.float32)
    for fn, args in [("quantize_nf4", (w, block_size)), ("quantize_nf4", (w[: (length // block_size) * block_size], 0)),
                     ("dequantize_nf4", (w.astype(np.uint8), np.ones(length), block_size)),
                     ("double_quantize", (w, block_size)),
                     ("dequantize_nf4", (np.zeros(2 * block_size, np.uint8), np.ones(1, np.float32), block_size))]:  # 2 blocks, 1 scale
        with pytest.raises(ValueError):
            getattr(kata, fn)(*args)
            pytest.fail(f"{fn} with length {len(args[0])} and block_size {args[-1]} returned instead of raising ValueError")


@given(value=st.sampled_from([0.0, 0.5, 3.0]), block=st.sampled_from([1, 4]))
def test_double_quantization_of_equal_constants(kata, value, block):
    """All constants equal: nothing is left after subtracting the mean, every scale is 0, codes are 0
    and the constants come back exactly (no 0 / 0)."""
    c = np.full(8, value, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # numpy's "invalid value" warning of a 0 / 0
        q, scales, mean = kata.double_quantize(c, block_size=block)
    call = describe_call("double_quantize", c, block_size=block)
    assert_equal(q, np.zeros(8), call=call, name="int8 codes")
    assert_equal(scales, np.zeros(8 // block), call=call, name="second-level scales")
    assert_close(kata.double_dequantize(q, scales, mean, block_size=block), c, rtol=0, atol=0,
                 call=f"double_dequantize(*{call})")


def reference_double_quant(c, block):
    mean = c.astype(np.float64).mean()
    b = (c.astype(np.float64) - mean).reshape(-1, block)
    s = np.abs(b).max(axis=1)
    q = np.round(b / np.where(s > 0, s, 1)[:, None] * 127)
    return q.reshape(-1), s, mean


@given(seed=seeds(), n=st.integers(1, 4), block=st.sampled_from([1, 4, 16]))
@example(seed=0, n=2, block=4)
def test_double_quantization_of_the_absmax_constants(kata, seed, n, block):
    w = gaussian_weights(seed, n * block, 64, outliers=True)
    _, absmax = kata.quantize_nf4(w, 64)
    call = describe_call("double_quantize", absmax, block_size=block)
    q, scales, mean = call_unmodified(kata.double_quantize, absmax, block_size=block, fn_name="double_quantize")
    assert q.dtype == np.int8 and scales.dtype == np.float32, (
        f"{call} returned dtypes {q.dtype}, {scales.dtype}; expected int8 codes and float32 scales")
    wq, ws, wm = reference_double_quant(absmax, block)
    assert_close(mean, wm, rtol=1e-12, atol=0, call=call, name="mean (subtracted before quantizing)")
    assert_close(scales, ws, rtol=1e-6, atol=0, call=call, name="second-level scales")
    # round() exactly at .5 can go either way after float rounding: allow one step there only
    assert np.all(np.abs(q.astype(np.int64) - wq) <= 1) and np.mean(q != wq) < 0.05, f"{call}: int8 codes differ from round((c - mean) / s * 127)"
    back = kata.double_dequantize(q, scales, mean, block_size=block)
    bound = np.repeat(ws, block) / 254 + 1e-6 * absmax  # half a quantization step, plus float32 rounding
    assert np.all(np.abs(back.astype(np.float64) - absmax) <= bound + 1e-7), (
        f"double_dequantize(*{call}): error {np.max(np.abs(back - absmax)):.3g} beyond half an int8 step")
    assert back.dtype == np.float32


@given(block=st.sampled_from([1, 16, 32, 64, 128, 256]), dq=st.sampled_from([1, 64, 128, 256, 512]))
@example(block=64, dq=256)
@example(block=1, dq=1)  # the smallest blocks allowed: 4 + 8 + 32 bits
def test_bits_per_parameter(kata, block, dq):
    assert_close(kata.bits_per_parameter(64, None), 4.5, rtol=1e-12, atol=0, call="bits_per_parameter(64, None)",
                 name="QLoRA's 4 + 32/64 = 4.5 bits without double quantization")
    assert_close(kata.bits_per_parameter(64, 256), 4 + 8 / 64 + 32 / (64 * 256), rtol=1e-12, atol=0,
                 call="bits_per_parameter(64, 256)", name="QLoRA's 4.127 bits with double quantization")
    assert_close(kata.bits_per_parameter(block, dq), 4 + 8 / block + 32 / (block * dq), rtol=1e-12, atol=0,
                 call=describe_call("bits_per_parameter", block, dq))
    assert_close(kata.bits_per_parameter(block), 4 + 8 / block + 32 / (block * 256), rtol=1e-12, atol=0,
                 call=describe_call("bits_per_parameter", block), name="default dq_block_size 256")
    assert_close(kata.bits_per_parameter(), 4 + 8 / 64 + 32 / (64 * 256), rtol=1e-12, atol=0,
                 call="bits_per_parameter()", name="defaults 64 and 256")
    for args in [(0, 256), (64, 0), (-1, None)]:
        with pytest.raises(ValueError):
            kata.bits_per_parameter(*args)
            pytest.fail(f"bits_per_parameter{args} returned instead of raising ValueError")
