"""Tests for ret-01-3, exact top-k search.

References: faiss.IndexFlatIP (inner product, and cosine after faiss.normalize_L2) and
faiss.IndexFlatL2 (squared distance) return the scores every result must reproduce; the returned ids
are checked by recomputing their scores in float64. Tie order is checked on integer-valued vectors,
whose scores are exact, against a stable float64 sort.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from grader.strategies import float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
)

faiss.omp_set_num_threads(1)   # tiny indexes: threads only add overhead on a shared 2-core machine
METRICS = st.sampled_from(["ip", "cosine", "l2"])


def data(seed: int, m: int, n: int, d: int, dtype: type, zero_rows: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian vectors with row norms spread over [0.25, 4], so inner product and cosine disagree."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((m + n, d)) * rng.uniform(0.25, 4.0, size=(m + n, 1))
    if zero_rows:
        x[rng.random(m + n) < 0.3] = 0.0
    return x[:m].astype(dtype), x[m:].astype(dtype)


def faiss_search(queries: np.ndarray, database: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    q = np.ascontiguousarray(queries, dtype=np.float32)
    x = np.ascontiguousarray(database, dtype=np.float32)
    if metric == "cosine":
        faiss.normalize_L2(q)
        faiss.normalize_L2(x)
    index = faiss.IndexFlatL2(x.shape[1]) if metric == "l2" else faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    return index.search(q, k)


def exact_scores(queries: np.ndarray, database: np.ndarray, metric: str) -> np.ndarray:
    q, x = queries.astype(np.float64), database.astype(np.float64)
    if metric == "cosine":
        q, x = normalize(q), normalize(x)
    if metric == "l2":
        return ((q[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    return q @ x.T


@given(seed=seeds(), n=st.integers(1, 8), d=st.integers(1, 6), dtype=float_dtypes(), zero_rows=st.booleans())
@example(seed=0, n=3, d=2, dtype=np.float32, zero_rows=True)
def test_normalize_rows(kata, seed, n, d, dtype, zero_rows):
    _, x = data(seed, 0, n, d, dtype, zero_rows)
    x[0] = 0.0   # at least one zero row
    call = describe_call("normalize_rows", x)
    got = call_unmodified(kata.normalize_rows, x)
    assert_dtype(got, x, call=call)
    assert_no_alias(got, x, call=call)
    want = normalize(x.astype(np.float64))   # sklearn leaves zero rows at zero
    if dtype == np.float32:
        ref = x.copy()
        faiss.normalize_L2(ref)
        assert_close(got, ref, rtol=0, atol=1e-6, name="rows (vs faiss.normalize_L2)", call=call)
    # float32: ~1 ulp per element; float64: exact up to rounding
    assert_close(got, want, rtol=0, atol=1e-6 if dtype == np.float32 else 1e-14, name="rows", call=call)


@given(seed=seeds(), m=st.integers(1, 4), n=st.integers(1, 10), d=st.integers(1, 8),
       k=st.integers(1, 12), metric=METRICS, dtype=float_dtypes(), zero_rows=st.booleans())
@example(seed=1, m=2, n=5, d=3, k=5, metric="cosine", dtype=np.float32, zero_rows=False)
@example(seed=2, m=3, n=6, d=4, k=3, metric="ip", dtype=np.float64, zero_rows=False)
@example(seed=3, m=2, n=4, d=3, k=7, metric="l2", dtype=np.float32, zero_rows=False)   # k > n: padding
@example(seed=4, m=2, n=4, d=3, k=2, metric="cosine", dtype=np.float64, zero_rows=True)
def test_search_matches_faiss(kata, seed, m, n, d, k, metric, dtype, zero_rows):
    queries, database = data(seed, m, n, d, dtype, zero_rows)
    call = describe_call("search", queries, database, k, metric=metric)
    scores, ids = call_unmodified(kata.search, queries, database, k, metric=metric)
    assert_shape(scores, (m, k), name="scores", call=call)
    assert_shape(ids, (m, k), name="ids", call=call)
    assert_dtype(scores, queries, name="scores", call=call)
    assert np.asarray(ids).dtype == np.int64, f"{call} returned ids of dtype {np.asarray(ids).dtype}, expected int64"
    want_scores, _ = faiss_search(queries, database, k, metric)
    kk = min(k, n)
    # FAISS works in float32: a few ulps of scores that reach |q||x| <= ~16 * 16 * d
    tol = 1e-5 * (1 + np.abs(want_scores[:, :kk]).max())
    assert_close(scores[:, :kk], want_scores[:, :kk], rtol=1e-5, atol=tol, name="top-k scores (vs FAISS)", call=call)
    exact = exact_scores(queries, database, metric)
    top_ids = ids[:, :kk]
    assert ((top_ids >= 0) & (top_ids < n)).all(), f"{call} returned ids {ids.tolist()} outside 0..{n - 1}"
    for row in top_ids:
        assert len(set(row.tolist())) == kk, f"{call} returned the same id twice in a row: {ids.tolist()}"
    assert_close(np.take_along_axis(exact, top_ids, axis=1), want_scores[:, :kk], rtol=1e-5, atol=tol,
                 name="scores of the returned ids (recomputed in float64)", call=call)
    fill = np.inf if metric == "l2" else -np.inf
    assert_equal(ids[:, kk:], np.full((m, k - kk), -1), name="ids of the missing places", call=call)
    assert_equal(scores[:, kk:], np.full((m, k - kk), fill), name="scores of the missing places", call=call)


@given(seed=seeds(), n=st.integers(2, 9), d=st.integers(1, 4), k=st.integers(1, 9), metric=st.sampled_from(["ip", "l2"]),
       dtype=float_dtypes())
@example(seed=0, n=4, d=2, k=4, metric="ip", dtype=np.float32)
def test_equal_scores_come_out_in_increasing_id(kata, seed, n, d, k, metric, dtype):
    """Integer-valued vectors with duplicates: exact scores, many ties."""
    rng = np.random.default_rng(seed)
    base = rng.integers(-2, 3, size=(max(n // 2, 1), d))
    database = base[rng.integers(0, len(base), size=n)].astype(dtype)
    queries = rng.integers(-2, 3, size=(3, d)).astype(dtype)
    exact = exact_scores(queries, database, metric)
    order = np.argsort(exact if metric == "l2" else -exact, axis=1, kind="stable")[:, :k]
    call = describe_call("search", queries, database, k, metric=metric)
    scores, ids = kata.search(queries, database, k, metric=metric)
    kk = min(k, n)
    assert_equal(ids[:, :kk], order, name="ids (ties in increasing id)", call=call)
    assert_equal(scores[:, :kk], np.take_along_axis(exact, order, axis=1), name="scores", call=call)


@given(seed=seeds(), n=st.integers(2, 8), d=st.integers(2, 5), k=st.integers(1, 4))
def test_default_metric_is_inner_product(kata, seed, n, d, k):
    queries, database = data(seed, 3, n, d, np.float32)
    call = describe_call("search", queries, database, k)
    scores, ids = kata.search(queries, database, k)
    want, _ = faiss_search(queries, database, k, "ip")
    kk = min(k, n)
    assert_close(scores[:, :kk], want[:, :kk], rtol=1e-5, atol=1e-4, name="scores (IndexFlatIP)", call=call)


@given(m=st.integers(0, 3), n=st.integers(1, 4), metric=METRICS)
def test_k_zero_gives_empty_results(kata, m, n, metric):
    queries, database = data(0, m, n, 3, np.float32)
    scores, ids = kata.search(queries, database, 0, metric=metric)
    call = describe_call("search", queries, database, 0, metric=metric)
    assert_shape(scores, (m, 0), name="scores", call=call)
    assert_shape(ids, (m, 0), name="ids", call=call)


@given(k=st.integers(-3, -1))
def test_negative_k_is_rejected(kata, k):
    queries, database = data(0, 2, 3, 2, np.float32)
    with pytest.raises(ValueError):
        kata.search(queries, database, k)
        pytest.fail(f"search(k={k}) returned instead of raising ValueError")


@given(d=st.integers(1, 4), extra=st.integers(1, 3))
def test_dimension_mismatch_is_rejected(kata, d, extra):
    queries, _ = data(0, 2, 3, d, np.float32)
    _, database = data(0, 2, 3, d + extra, np.float32)
    with pytest.raises(ValueError):
        kata.search(queries, database, 1)
        pytest.fail(f"search with d={d} queries and d={d + extra} database returned instead of raising ValueError")


@given(metric=st.sampled_from(["dot", "IP", "cos", "L2", "euclidean"]))
def test_unknown_metric_is_rejected(kata, metric):
    queries, database = data(0, 2, 3, 2, np.float32)
    with pytest.raises(ValueError):
        kata.search(queries, database, 1, metric=metric)
        pytest.fail(f"search(metric={metric!r}) returned instead of raising ValueError")
