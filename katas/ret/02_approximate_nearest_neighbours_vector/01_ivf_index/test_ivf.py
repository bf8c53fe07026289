"""Tests for ret-02-1, an IVF index.

References: faiss.IndexIVFFlat built over the very same centroids (its quantizer holds them, so no
training happens) at the same nprobe: the same probed lists, the same inverted lists, the same
distances; faiss.IndexFlatL2 for the exact neighbours that recall is measured against. Recall must
be non-decreasing in nprobe and reach 1 when every list is probed.
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


def clustered(seed: int, n: int, m: int, d: int, n_lists: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(database (n, d), queries (m, d), centroids (n_lists, d)) in float32: Gaussian blobs, k-means centroids."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((2 * n_lists, d)) * 3
    pts = centers[rng.integers(0, len(centers), n + m)] + rng.standard_normal((n + m, d))
    pts = pts.astype(np.float32)
    km = faiss.Kmeans(d, n_lists, niter=5, seed=seed % 10_000, min_points_per_centroid=1, max_points_per_centroid=10_000)
    km.train(pts[:n])
    return pts[:n], pts[n:], km.centroids.copy()


def faiss_ivf(database: np.ndarray, centroids: np.ndarray) -> tuple[faiss.IndexIVFFlat, faiss.IndexFlatL2]:
    """The index and its quantizer (return both: the index does not own the quantizer)."""
    quantizer = faiss.IndexFlatL2(centroids.shape[1])
    quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
    index = faiss.IndexIVFFlat(quantizer, centroids.shape[1], len(centroids))
    assert index.is_trained
    index.add(np.ascontiguousarray(database, dtype=np.float32))
    return index, quantizer


def faiss_lists(index: faiss.IndexIVFFlat) -> list[np.ndarray]:
    inv = index.invlists
    return [faiss.rev_swig_ptr(inv.get_ids(c), inv.list_size(c)).copy() if inv.list_size(c) else np.zeros(0, np.int64)
            for c in range(index.nlist)]


def exact_knn(queries: np.ndarray, database: np.ndarray, k: int) -> np.ndarray:
    index = faiss.IndexFlatL2(database.shape[1])
    index.add(np.ascontiguousarray(database, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)[1]


SIZES = dict(seed=seeds(), n=st.integers(20, 80), d=st.integers(2, 6), n_lists=st.integers(1, 8))


@given(**SIZES)
def test_assign_matches_the_faiss_quantizer(kata, seed, n, d, n_lists):
    database, _, centroids = clustered(seed, n, 1, d, n_lists)
    call = describe_call("assign_lists", database, centroids)
    got = call_unmodified(kata.assign_lists, database, centroids)
    quantizer = faiss.IndexFlatL2(d)
    quantizer.add(centroids)
    assert_equal(got, quantizer.search(database, 1)[1][:, 0], name="list ids", call=call)


@given(**SIZES, extra=st.integers(0, 3))
def test_build_lists_matches_faiss_inverted_lists(kata, seed, n, d, n_lists, extra):
    database, _, centroids = clustered(seed, n, 1, d, n_lists)
    index, _quantizer = faiss_ivf(database, centroids)
    quantizer = faiss.IndexFlatL2(d)
    quantizer.add(centroids)
    assignment = quantizer.search(database, 1)[1][:, 0]
    call = describe_call("build_lists", assignment, n_lists + extra)
    got = call_unmodified(kata.build_lists, assignment, n_lists + extra)   # extra lists stay empty
    want = faiss_lists(index) + [np.zeros(0, np.int64)] * extra
    assert len(got) == len(want), f"{call} returned {len(got)} lists, expected {len(want)}"
    for c, (g, w) in enumerate(zip(got, want, strict=True)):
        assert_equal(np.asarray(g, dtype=np.int64), w, name=f"list {c}", call=call)


@given(**SIZES, m=st.integers(1, 5), k=st.integers(1, 12), nprobe_frac=st.floats(0, 1), dtype=float_dtypes())
@example(seed=0, n=20, d=2, n_lists=8, m=3, k=12, nprobe_frac=0.0, dtype=np.float32)   # fewer candidates than k
@example(seed=1, n=60, d=4, n_lists=6, m=4, k=5, nprobe_frac=0.5, dtype=np.float64)
def test_search_matches_faiss_ivfflat(kata, seed, n, d, n_lists, m, k, nprobe_frac, dtype):
    database, queries, centroids = clustered(seed, n, m, d, n_lists)
    nprobe = 1 + round(nprobe_frac * (n_lists - 1))
    index, _quantizer = faiss_ivf(database, centroids)
    index.nprobe = nprobe
    want_d, want_i = index.search(queries, k)
    lists = faiss_lists(index)
    database, queries, centroids = database.astype(dtype), queries.astype(dtype), centroids.astype(dtype)
    call = describe_call("ivf_search", queries, database, centroids, "lists", k, nprobe)
    dists, ids, scanned = call_unmodified(kata.ivf_search, queries, database, centroids, lists, k, nprobe)
    assert_shape(dists, (m, k), name="distances", call=call)
    assert_shape(ids, (m, k), name="ids", call=call)
    assert_dtype(dists, database, name="distances", call=call)
    valid = want_i >= 0
    assert_equal(np.asarray(ids) >= 0, valid, name="which places hold a neighbour (faiss pads with -1)", call=call)
    # float32 squared distances of magnitude up to ~100: a few ulps
    assert_close(np.where(valid, dists, 0), np.where(valid, want_d, 0), rtol=1e-4, atol=1e-4,
                 name="squared distances (vs IndexIVFFlat)", call=call)
    assert np.all(np.isposinf(np.asarray(dists)[~valid])), f"{call} padded with {np.asarray(dists)[~valid]}, expected +inf"
    assert np.all(np.asarray(ids)[~valid] == -1), f"{call} padded with ids {np.asarray(ids)[~valid]}, expected -1"
    for name, arr in (("ids", ids), ("n_scanned", scanned)):
        assert np.asarray(arr).dtype == np.int64, f"{call} returned {name} of dtype {np.asarray(arr).dtype}, expected int64"
    recomputed = ((queries[:, None, :].astype(np.float64) - database[np.where(valid, ids, 0)]) ** 2).sum(-1)
    assert_close(np.where(valid, recomputed, 0), np.where(valid, want_d, 0), rtol=1e-4, atol=1e-4,
                 name="distances of the returned ids, recomputed", call=call)
    probed = index.quantizer.search(queries.astype(np.float32), nprobe)[1]
    want_scanned = [sum(len(lists[c]) for c in row) for row in probed]
    assert_equal(scanned, want_scanned, name="n_scanned (total size of the probed lists)", call=call)


@given(**SIZES, k=st.integers(1, 6))
@example(seed=2, n=40, d=3, n_lists=5, k=4)
def test_recall_rises_with_nprobe_like_faiss(kata, seed, n, d, n_lists, k):
    """The recall@k curve: non-decreasing, equal to IndexIVFFlat's at every nprobe, exact at nprobe = n_lists."""
    database, queries, centroids = clustered(seed, n, 8, d, n_lists)
    truth = exact_knn(queries, database, k)
    index, _quantizer = faiss_ivf(database, centroids)
    lists = faiss_lists(index)
    ours, theirs, costs = [], [], []
    for nprobe in range(1, n_lists + 1):
        _, ids, scanned = kata.ivf_search(queries, database, centroids, lists, k, nprobe)
        ours.append(kata.recall_at_k(ids, truth))
        costs.append(float(np.mean(scanned)))
        index.nprobe = nprobe
        found = index.search(queries, k)[1]
        theirs.append(np.mean([len(set(f[f >= 0]) & set(t)) for f, t in zip(found, truth, strict=True)]) / k)
    call = f"recall_at_k(ivf_search(..., k={k}, nprobe), exact) for nprobe = 1..{n_lists}"
    assert_close(ours, theirs, rtol=0, atol=1e-12, name="recall curve (vs IndexIVFFlat)", call=call)
    assert all(b >= a for a, b in zip(ours, ours[1:], strict=False)), f"{call}: recall fell as nprobe grew: {ours}"
    assert all(b >= a for a, b in zip(costs, costs[1:], strict=False)), f"{call}: scan cost fell: {costs}"
    assert_close(ours[-1], 1.0, rtol=0, atol=0, name="recall with every list probed", call=call)
    assert_close(costs[-1], n, rtol=0, atol=0, name="vectors scanned with every list probed", call=call)


@given(seed=seeds(), m=st.integers(1, 4), k=st.integers(1, 5))
@example(seed=0, m=1, k=3)
def test_recall_at_k(kata, seed, m, k):
    rng = np.random.default_rng(seed)
    truth = np.array([rng.permutation(20)[:k] for _ in range(m)])
    found = np.array([rng.permutation(np.concatenate([t[: rng.integers(0, k + 1)], 20 + rng.permutation(5)]))[:k]
                      for t in truth])
    found[rng.random(found.shape) < 0.2] = -1
    found[0, 0] = -1
    want = np.mean([len(set(f[f >= 0].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]) / k
    call = describe_call("recall_at_k", found, truth)
    assert_close(call_unmodified(kata.recall_at_k, found, truth), want, rtol=0, atol=1e-12, name="recall", call=call)


def test_recall_ignores_order(kata):
    truth = np.array([[1, 2, 3]])
    assert_close(kata.recall_at_k(np.array([[3, 1, -1]]), truth), 2 / 3, rtol=0, atol=1e-12, name="recall",
                 call="recall_at_k([[3, 1, -1]], [[1, 2, 3]])")


@given(k=st.integers(-1, 3), nprobe=st.integers(-1, 6))
@example(k=0, nprobe=1)
@example(k=1, nprobe=0)
@example(k=1, nprobe=5)   # one more than n_lists = 4
def test_invalid_k_or_nprobe_is_rejected(kata, k, nprobe):
    database, queries, centroids = clustered(0, 20, 2, 2, 4)
    if k >= 1 and 1 <= nprobe <= 4:
        nprobe = 5
    lists = [np.flatnonzero(np.argmin(((database[:, None] - centroids[None]) ** 2).sum(-1), 1) == c) for c in range(4)]
    with pytest.raises(ValueError):
        kata.ivf_search(queries, database, centroids, lists, k, nprobe)
        pytest.fail(f"ivf_search(k={k}, nprobe={nprobe}) with 4 lists returned instead of raising ValueError")
