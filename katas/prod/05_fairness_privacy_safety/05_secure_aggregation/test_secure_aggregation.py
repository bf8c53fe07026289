"""Tests for prod-05-5, secure aggregation with pairwise masks.

References: exact integer arithmetic mod 2^32 (the masks of all clients sum to 0; the aggregate of
the masked updates is the sum of the encoded updates, bit for bit), numpy's round for the
fixed-point code, and scipy.stats.kstest: what the server sees of one client is uniform on the
ring, whatever that client's update.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

M = 2**32
SCALES = st.sampled_from([1.0, 2.0**10, 1e4])


def seeds_for(n: int, seed: int) -> np.ndarray:
    """The same pairwise secrets as the given agree_seeds, rebuilt here so the test does not trust it."""
    rng = np.random.default_rng(seed)
    s = np.full((n, n), -1, dtype=np.int64)
    upper = np.triu_indices(n, k=1)
    s[upper] = rng.integers(0, 2**62, size=len(upper[0]))
    return s


def expand(seed: int, dim: int) -> np.ndarray:
    return np.random.default_rng(int(seed)).integers(0, M, size=dim, dtype=np.int64)


@given(seed=seeds(), dim=st.integers(1, 8), scale=SCALES)
@example(seed=0, dim=3, scale=1.0)
def test_encode_is_rounded_fixed_point_mod_2_32(kata, seed, dim, scale):
    x = np.random.default_rng(seed).normal(scale=100.0, size=dim)
    x[0] = -2.5 if dim > 1 else 2.5                   # a half: rounds to even, and a negative wraps around
    call = describe_call("encode", x, scale)
    got = call_unmodified(kata.encode, x, scale)
    assert_dtype(got, np.int64, name="encoded vector", call=call)
    want = [int(np.round(v * scale)) % M for v in x.tolist()]
    assert_equal(np.asarray(got, dtype=np.int64), np.array(want, dtype=np.int64), name="ring elements", call=call)
    back = kata.decode(got, scale)
    assert_close(back, x, rtol=0, atol=0.5 / scale, name="decode(encode(x))", call=describe_call("decode", got, scale))


@given(value=st.integers(-(2**31), 2**31 - 1))
@example(value=-(2**31))
@example(value=2**31 - 1)
@example(value=-1)
def test_decode_maps_the_upper_half_to_negatives(kata, value):
    v = np.array([value % M], dtype=np.int64)
    assert_close(kata.decode(v, 4.0), [value / 4.0], rtol=0, atol=0, name="decoded value",
                 call=describe_call("decode", v, 4.0))


@given(n=st.integers(1, 6), seed=seeds(), dim=st.integers(1, 6))
@example(n=1, seed=0, dim=2)                  # a lone client has no partner: its mask is 0
@example(n=2, seed=1, dim=1)
def test_masks_cancel_exactly(kata, n, seed, dim):
    s = seeds_for(n, seed)
    masks = [call_unmodified(kata.pairwise_mask, i, s, dim) for i in range(n)]
    for i, m in enumerate(masks):
        assert_dtype(m, np.int64, name=f"mask of client {i}", call=describe_call("pairwise_mask", i, s, dim))
        assert m.shape == (dim,) and np.all((m >= 0) & (m < M)), (
            f"pairwise_mask({i}, seeds, {dim}) returned values outside [0, 2**32) or shape {m.shape}")
    total = np.zeros(dim, dtype=object)
    for m in masks:
        total = total + np.asarray(m).astype(object)
    assert_equal(np.array([int(t) % M for t in total]), np.zeros(dim, dtype=np.int64),
                 name="sum of all clients' masks mod 2**32", call=describe_call("pairwise_mask", "each client", s, dim))


@given(n=st.integers(2, 5), seed=seeds(), dim=st.integers(1, 5))
def test_mask_formula(kata, n, seed, dim):
    s = seeds_for(n, seed)
    for i in range(n):
        want = sum((expand(s[i, j], dim).astype(object) for j in range(i + 1, n)), np.zeros(dim, dtype=object))
        want = want - sum((expand(s[j, i], dim).astype(object) for j in range(i)), np.zeros(dim, dtype=object))
        got = kata.pairwise_mask(i, s, dim)
        assert_equal(np.asarray(got, dtype=np.int64), np.array([int(w) % M for w in want], dtype=np.int64),
                     name=f"mask of client {i}", call=describe_call("pairwise_mask", i, s, dim))


@given(n=st.integers(1, 6), seed=seeds(), dim=st.integers(1, 6), scale=SCALES)
def test_server_recovers_the_exact_sum(kata, n, seed, dim, scale):
    rng = np.random.default_rng(seed)
    updates = rng.normal(scale=50.0, size=(n, dim))
    s = seeds_for(n, seed)
    encoded = [kata.encode(u, scale) for u in updates]
    masked = [call_unmodified(kata.mask_update, e, i, s) for i, e in enumerate(encoded)]
    for i, (e, m) in enumerate(zip(encoded, masked, strict=True)):
        assert_equal(np.asarray(m, dtype=np.int64), np.mod(np.asarray(e) + kata.pairwise_mask(i, s, dim), M),
                     name=f"masked update of client {i} (encoded + its mask)", call=describe_call("mask_update", e, i, s))
    call = describe_call("aggregate", f"{n} masked updates")
    total = call_unmodified(kata.aggregate, masked)
    assert_dtype(total, np.int64, name="aggregate", call=call)
    want = np.array([sum(int(np.round(u * scale)) for u in col) % M for col in updates.T.tolist()], dtype=np.int64)
    assert_equal(np.asarray(total, dtype=np.int64), want, name="aggregate of the masked updates", call=call)
    assert_close(kata.decode(total, scale), updates.sum(axis=0), rtol=0, atol=n * 0.5 / scale,
                 name="decoded aggregate vs the plain sum", call=call)


@given(seed=seeds(), client=st.integers(0, 2), big=st.sampled_from([0.0, 1e5]))
def test_one_masked_update_looks_uniform(kata, seed, client, big):
    """Whatever the update (all zeros or all 10^5), what the server sees of one client is uniform on the ring."""
    dim = 4000
    s = seeds_for(3, seed)
    encoded = kata.encode(np.full(dim, big), 1.0)
    masked = np.asarray(kata.mask_update(encoded, client, s), dtype=np.float64)
    p = stats.kstest(masked / M, "uniform").pvalue
    assert p > 1e-6, (f"mask_update of a constant update {big:g} for client {client} of 3 is not uniform on [0, 2**32) "
                      f"(KS p = {p:.2g}): the mask must hide the update completely")
    assert np.mean(masked == encoded) < 0.01, "most coordinates of the masked update equal the update itself"


def test_rejects_bad_arguments(kata):
    s = seeds_for(3, 0)
    cases = [(lambda: kata.pairwise_mask(3, s, 2), "pairwise_mask for client 3 of 3"),
             (lambda: kata.pairwise_mask(-1, s, 2), "pairwise_mask for client -1"),
             (lambda: kata.mask_update(np.zeros(2, dtype=np.int64), 5, s), "mask_update for client 5 of 3"),
             (lambda: kata.aggregate([]), "aggregate of no updates")]
    for fn, why in cases:
        with pytest.raises(ValueError):
            fn()
            pytest.fail(f"{why} returned instead of raising ValueError")
