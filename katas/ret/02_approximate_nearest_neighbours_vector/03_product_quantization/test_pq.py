"""Tests for ret-02-3, product quantization with ADC.

References: faiss.ProductQuantizer and faiss.IndexPQ loaded with the very same codebooks (so no
training happens): compute_codes/decode for encoding and reconstruction, IndexPQ.search for the ADC
distances, ProductQuantizer.code_size for the packed code size; brute-force float64 tables and the
ADC identity sum_m table[m, code_m] = |q - decode(code)|^2.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

faiss.omp_set_num_threads(1)   # tiny indexes: threads only add overhead on a shared 2-core machine

# FAISS's dsub = 2 kernel needs ksub % 8 == 0, so the FAISS comparisons use 8 or 16 centroids per block
SETUP = dict(seed=seeds(), M=st.integers(1, 4), nbits=st.integers(3, 4), dsub=st.integers(1, 3), n=st.integers(1, 40))


def setup(seed: int, M: int, nbits: int, dsub: int, n: int, m: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(database (n, d), queries (m, d), codebooks (M, 2**nbits, dsub)), float32, codebooks drawn from the data."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n + m, M * dsub)).astype(np.float32)
    codebooks = rng.standard_normal((M, 2**nbits, dsub)).astype(np.float32)
    return x[:n], x[n:], codebooks


def faiss_pq(codebooks: np.ndarray) -> faiss.IndexPQ:
    M, ksub, dsub = codebooks.shape
    index = faiss.IndexPQ(M * dsub, M, ksub.bit_length() - 1)
    faiss.copy_array_to_vector(np.ascontiguousarray(codebooks, dtype=np.float32).ravel(), index.pq.centroids)
    index.is_trained = True
    return index


def lookup(codes: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    return np.concatenate([codebooks[m][codes[:, m]] for m in range(codebooks.shape[0])], axis=1)


@given(**SETUP)
@example(seed=0, M=2, nbits=3, dsub=3, n=5)
def test_encode_matches_faiss(kata, seed, M, nbits, dsub, n):
    x, _, codebooks = setup(seed, M, nbits, dsub, n)
    call = describe_call("pq_encode", x, codebooks)
    codes = call_unmodified(kata.pq_encode, x, codebooks)
    assert_shape(codes, (n, M), name="codes", call=call)
    assert np.asarray(codes).dtype == np.int64, f"{call} returned codes of dtype {np.asarray(codes).dtype}, expected int64"
    index = faiss_pq(codebooks)   # keep the index alive: pq lives inside it
    pq = index.pq
    want = pq.decode(pq.compute_codes(x))
    # the codes are compared through the centroids they select (faiss packs its codes)
    assert_close(lookup(np.asarray(codes), codebooks), want, rtol=0, atol=0, name="centroids the codes select", call=call)


@given(**SETUP, dtype=float_dtypes())
def test_decode_matches_faiss(kata, seed, M, nbits, dsub, n, dtype):
    x, _, codebooks = setup(seed, M, nbits, dsub, n)
    index = faiss_pq(codebooks)   # keep the index alive: pq lives inside it
    pq = index.pq
    packed = pq.compute_codes(x)
    codes = np.argmin(((x.reshape(n, M, 1, dsub) - codebooks[None]) ** 2).sum(-1), axis=-1)
    codebooks = codebooks.astype(dtype)
    call = describe_call("pq_decode", codes, codebooks)
    got = call_unmodified(kata.pq_decode, codes, codebooks)
    assert_dtype(got, codebooks, call=call)
    assert_close(got, pq.decode(packed), rtol=0, atol=0, name="reconstruction", call=call)


@given(**{**SETUP, "nbits": st.integers(1, 4)})
def test_adc_table(kata, seed, M, nbits, dsub, n):
    x, queries, codebooks = setup(seed, M, nbits, dsub, n)
    q = queries[0]
    call = describe_call("adc_table", q, codebooks)
    table = call_unmodified(kata.adc_table, q, codebooks)
    assert_shape(table, (M, 2**nbits), name="table", call=call)
    assert np.asarray(table).dtype == np.float64, f"{call} returned dtype {np.asarray(table).dtype}, expected float64"
    want = ((q.astype(np.float64).reshape(M, 1, dsub) - codebooks.astype(np.float64)) ** 2).sum(-1)
    assert_close(table, want, rtol=1e-12, atol=1e-12, name="table", call=call)
    # the ADC identity: gathering one entry per block and summing gives |q - reconstruction|^2
    codes = np.argmin(((x.reshape(n, M, 1, dsub) - codebooks[None]) ** 2).sum(-1), axis=-1)
    rec = lookup(codes, codebooks).astype(np.float64)
    assert_close(np.asarray(table)[np.arange(M), codes].sum(axis=1), ((q - rec) ** 2).sum(axis=1), rtol=1e-10,
                 atol=1e-10, name="sum of table entries (must equal the distance to the reconstruction)", call=call)


@given(**SETUP, k=st.integers(1, 45))
@example(seed=1, M=1, nbits=3, dsub=2, n=30, k=10)    # 8 codes for 30 vectors: many exact ties
@example(seed=2, M=3, nbits=4, dsub=2, n=5, k=8)      # k > n: padding
def test_adc_search_matches_faiss_index_pq(kata, seed, M, nbits, dsub, n, k):
    x, queries, codebooks = setup(seed, M, nbits, dsub, n)
    index = faiss_pq(codebooks)
    index.add(x)
    want_d, _ = index.search(queries, k)
    codes = np.argmin(((x.reshape(n, M, 1, dsub) - codebooks[None]) ** 2).sum(-1), axis=-1)
    call = describe_call("adc_search", queries, codes, codebooks, k)
    dists, ids = call_unmodified(kata.adc_search, queries, codes, codebooks, k)
    assert_shape(dists, (3, k), name="distances", call=call)
    assert np.asarray(ids).dtype == np.int64, f"{call} returned ids of dtype {np.asarray(ids).dtype}, expected int64"
    kk = min(k, n)
    # FAISS sums float32 table entries: a few ulps of distances up to ~50
    assert_close(np.asarray(dists)[:, :kk], want_d[:, :kk], rtol=1e-5, atol=1e-5, name="ADC distances (vs IndexPQ)",
                 call=call)
    rec = lookup(codes, codebooks).astype(np.float64)
    exact_adc = ((queries.astype(np.float64)[:, None, :] - rec[None]) ** 2).sum(-1)
    top = np.asarray(ids)[:, :kk]
    assert_close(np.take_along_axis(exact_adc, top, axis=1), want_d[:, :kk], rtol=1e-5, atol=1e-5,
                 name="ADC distances of the returned ids, recomputed", call=call)
    assert_equal(np.asarray(ids)[:, kk:], np.full((3, k - kk), -1), name="ids of the missing places", call=call)
    assert np.all(np.isposinf(np.asarray(dists)[:, kk:])), f"{call} padded with {dists[:, kk:]}, expected +inf"
    for row_d, row_i in zip(np.asarray(dists)[:, :kk], top, strict=True):
        for j in range(kk - 1):
            if row_d[j] == row_d[j + 1]:
                assert row_i[j] < row_i[j + 1], f"{call}: equal distances with ids {row_i[j]}, {row_i[j + 1]} (expected increasing id)"


@given(seed=seeds(), M=st.integers(1, 4), nbits=st.integers(1, 4))
def test_adc_beats_quantizing_the_query(kata, seed, M, nbits):
    """ADC never quantizes the query: its distance to each code is the exact distance to the reconstruction."""
    x, queries, codebooks = setup(seed, M, nbits, 2, 20)
    codes = np.argmin(((x.reshape(20, M, 1, 2) - codebooks[None]) ** 2).sum(-1), axis=-1)
    dists, ids = kata.adc_search(queries, codes, codebooks, 20)
    rec = lookup(codes, codebooks).astype(np.float64)
    want = np.sort(((queries.astype(np.float64)[:, None, :] - rec[None]) ** 2).sum(-1), axis=1)
    assert_close(dists, want, rtol=1e-10, atol=1e-10, name="all 20 ADC distances, sorted",
                 call=describe_call("adc_search", queries, codes, codebooks, 20))


@given(M=st.integers(1, 16), nbits=st.integers(1, 8))
@example(M=3, nbits=3)   # 9 bits: 2 bytes
@example(M=8, nbits=8)
def test_code_size_matches_faiss(kata, M, nbits):
    want = faiss.ProductQuantizer(M * 2, M, nbits).code_size
    got = kata.code_size_bytes(M, 2**nbits)
    assert got == want, f"code_size_bytes({M}, {2**nbits}) returned {got}, expected {want} (faiss ProductQuantizer.code_size)"


@given(M=st.integers(-1, 4), ksub=st.sampled_from([-2, 0, 1, 3, 6, 12, 16]))
@example(M=0, ksub=16)
@example(M=2, ksub=1)
@example(M=2, ksub=3)
def test_code_size_rejects_bad_sizes(kata, M, ksub):
    if M >= 1 and ksub in (16,):
        M = 0
    with pytest.raises(ValueError):
        kata.code_size_bytes(M, ksub)
        pytest.fail(f"code_size_bytes({M}, {ksub}) returned instead of raising ValueError")


@given(fn=st.sampled_from(["pq_encode", "adc_table", "adc_search"]), extra=st.integers(1, 3))
def test_dimension_mismatch_is_rejected(kata, fn, extra):
    _, _, codebooks = setup(0, 2, 2, 2, 4)
    x = np.zeros((3, 4 + extra), dtype=np.float32)
    args = {"pq_encode": (x, codebooks), "adc_table": (x[0], codebooks),
            "adc_search": (x, np.zeros((5, 2), dtype=np.int64), codebooks, 2)}[fn]
    with pytest.raises(ValueError):
        getattr(kata, fn)(*args)
        pytest.fail(f"{fn} with d = {4 + extra} and codebooks for d = 4 returned instead of raising ValueError")


@given(k=st.integers(-2, 0))
def test_adc_search_rejects_k_below_one(kata, k):
    x, queries, codebooks = setup(0, 2, 2, 2, 4)
    with pytest.raises(ValueError):
        kata.adc_search(queries, np.zeros((4, 2), dtype=np.int64), codebooks, k)
        pytest.fail(f"adc_search(k={k}) returned instead of raising ValueError")
