"""Tests for ret-02-5, normalization, whitening, int8 and binary quantization.

References: faiss.ScalarQuantizer(QT_8bit) for the 8-bit ranges, codes and reconstructions;
faiss.IndexBinaryFlat for Hamming distances; sklearn's PCA(whiten=True) for whitening (compared
through Gram matrices, which do not depend on the rotation a whitening is defined up to); and the
recall of each representation recomputed with FAISS indexes side by side.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

faiss.omp_set_num_threads(1)


def gaussian(seed: int, n: int, d: int, correlated: bool = True) -> np.ndarray:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, d))
    if correlated:   # anisotropic, correlated, off-centre: what whitening is for
        z = z @ rng.standard_normal((d, d)) + rng.standard_normal(d) * 3
    return z.astype(np.float32)


def faiss_sq(x: np.ndarray) -> faiss.ScalarQuantizer:
    sq = faiss.ScalarQuantizer(x.shape[1], faiss.ScalarQuantizer.QT_8bit)
    sq.train(x)
    return sq


@given(seed=seeds(), extra=st.integers(0, 20), d=st.integers(1, 5))
@example(seed=0, extra=0, d=1)
def test_whitening_gives_identity_covariance_like_sklearn(kata, seed, extra, d):
    x = gaussian(seed, 3 * d + 3 + extra, d)
    call = describe_call("fit_whitening", x)
    mean, w = call_unmodified(kata.fit_whitening, x)
    z = (x.astype(np.float64) - mean) @ w
    lam_min = np.linalg.eigvalsh(np.cov(x.astype(np.float64), rowvar=False, ddof=1).reshape(d, d)).min()
    tol = 3e-8 / lam_min + 1e-9    # eps = 1e-8 shrinks each direction by lambda / (lambda + eps)
    assert_close(np.cov(z, rowvar=False, ddof=1).reshape(d, d), np.eye(d), rtol=0, atol=tol,
                 name="sample covariance of the whitened data (ddof=1)", call=call)
    ref = PCA(whiten=True).fit(x.astype(np.float64)).transform(x.astype(np.float64))
    assert_close(z @ z.T, ref @ ref.T, rtol=tol, atol=tol * d * 10, name="Gram matrix of the whitened data (vs sklearn PCA whiten)",
                 call=call)


@given(seed=seeds(), eps=st.sampled_from([1e-8, 0.5, 2.0]))
def test_whitening_eps(kata, seed, eps):
    x = gaussian(seed, 20, 3)
    mean, w = kata.fit_whitening(x, eps=eps)
    vals = np.linalg.eigvalsh(np.cov(x.astype(np.float64), rowvar=False, ddof=1))
    z = (x.astype(np.float64) - mean) @ w
    got = np.sort(np.linalg.eigvalsh(np.cov(z, rowvar=False, ddof=1)))
    want = np.sort(vals / (vals + eps))
    assert_close(got, want, rtol=1e-6, atol=1e-9, name="covariance eigenvalues after whitening (lambda / (lambda + eps))",
                 call=describe_call("fit_whitening", x, eps=eps))


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 6), constant_dim=st.booleans())
@example(seed=0, n=1, d=3, constant_dim=False)
def test_sq8_matches_faiss(kata, seed, n, d, constant_dim):
    x = gaussian(seed, n, d, correlated=False)
    if constant_dim:
        x[:, 0] = 1.5
    sq = faiss_sq(x)
    trained = faiss.vector_to_array(sq.trained)
    call = describe_call("sq8_train", x)
    vmin, vdiff = call_unmodified(kata.sq8_train, x)
    assert_close(vmin, trained[:d], rtol=0, atol=0, name="vmin (faiss trained[:d])", call=call)
    assert_close(vdiff, trained[d:], rtol=0, atol=0, name="vdiff (faiss trained[d:])", call=call)
    queries = gaussian(seed + 1, 8, d, correlated=False) * 1.5     # some fall outside the trained range: clipped
    for batch, label in ((x, "the training rows"), (queries, "new rows, some out of range")):
        call = describe_call("sq8_encode", batch, vmin, vdiff)
        codes = call_unmodified(kata.sq8_encode, batch, trained[:d], trained[d:])
        assert np.asarray(codes).dtype == np.uint8, f"{call} returned dtype {np.asarray(codes).dtype}, expected uint8"
        want = sq.compute_codes(batch)
        t = (batch.astype(np.float64) - trained[:d]) / np.where(trained[d:] > 0, trained[d:], 1) * 255
        on_edge = np.abs(t - np.round(t)) < 1e-3      # float32 vs float64 may floor differently there
        diff = np.abs(np.asarray(codes, dtype=np.int64) - want.astype(np.int64))
        assert np.all(diff[~on_edge] == 0) and np.all(diff <= 1), (
            f"{call} on {label}: codes differ from faiss QT_8bit in {int(np.sum(diff[~on_edge] > 0))} places; "
            f"first: got {np.asarray(codes)[diff > 0][:3]}, expected {want[diff > 0][:3]}")
        call = describe_call("sq8_decode", want, vmin, vdiff)
        dec = call_unmodified(kata.sq8_decode, want, trained[:d], trained[d:])
        assert np.asarray(dec).dtype == np.float32, f"{call} returned dtype {np.asarray(dec).dtype}, expected float32"
        # faiss decodes in float32: a few ulps of values up to ~10
        assert_close(dec, sq.decode(want), rtol=1e-6, atol=1e-6, name="reconstruction (vs faiss decode)", call=call)


@given(seed=seeds(), n=st.integers(1, 10), d=st.integers(1, 20), zeros=st.booleans())
@example(seed=0, n=2, d=9, zeros=True)       # exact zeros are not > 0; 9 bits: a padded second byte
def test_binarize(kata, seed, n, d, zeros):
    x = gaussian(seed, n, d, correlated=False)
    if zeros:
        x[:, ::3] = 0.0
    call = describe_call("binarize", x)
    codes = call_unmodified(kata.binarize, x)
    assert_shape(codes, (n, (d + 7) // 8), name="codes", call=call)
    assert np.asarray(codes).dtype == np.uint8, f"{call} returned dtype {np.asarray(codes).dtype}, expected uint8"
    assert_equal(np.unpackbits(np.asarray(codes), axis=1)[:, :d], (x > 0).astype(np.uint8), name="sign bits", call=call)
    pad = np.unpackbits(np.asarray(codes), axis=1)[:, d:]
    assert_equal(pad, np.zeros_like(pad), name="padding bits", call=call)


@given(seed=seeds(), n=st.integers(1, 30), nbytes=st.integers(1, 3), k=st.integers(1, 35))
@example(seed=0, n=20, nbytes=1, k=20)   # 8 bits for 20 codes: many equal distances
def test_hamming_search_matches_faiss(kata, seed, n, nbytes, k):
    rng = np.random.default_rng(seed)
    db = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    q = rng.integers(0, 256, size=(4, nbytes), dtype=np.uint8)
    index = faiss.IndexBinaryFlat(8 * nbytes)
    index.add(db)
    all_d = index.search(q, n)[0]
    all_i = index.search(q, n)[1]
    full = np.zeros((4, n), dtype=np.int64)
    np.put_along_axis(full, all_i, all_d, axis=1)     # every Hamming distance, from faiss
    order = np.argsort(full, axis=1, kind="stable")
    kk = min(k, n)
    call = describe_call("hamming_search", q, db, k)
    dists, ids = call_unmodified(kata.hamming_search, q, db, k)
    assert_equal(np.asarray(ids)[:, :kk], order[:, :kk], name="ids (ties by increasing id)", call=call)
    assert_equal(np.asarray(dists)[:, :kk], np.take_along_axis(full, order, axis=1)[:, :kk], name="Hamming distances",
                 call=call)
    missing = np.full((4, k - kk), -1)
    assert_equal(np.asarray(ids)[:, kk:], missing, name="ids of missing places", call=call)
    assert_equal(np.asarray(dists)[:, kk:], missing, name="distances of missing places", call=call)


@given(k=st.integers(-2, 0))
def test_hamming_search_rejects_k_below_one(kata, k):
    codes = np.zeros((3, 1), dtype=np.uint8)
    with pytest.raises(ValueError):
        kata.hamming_search(codes, codes, k)
        pytest.fail(f"hamming_search(k={k}) returned instead of raising ValueError")


def faiss_recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]) / truth.shape[1])


@given(seed=seeds(), k=st.sampled_from([1, 5, 10]))
@settings(max_examples=8)
def test_recall_costs_match_faiss_pipelines(kata, seed, k):
    n, d = 150, 12
    x = gaussian(seed, n + 15, d)
    database, queries = x[:n], x[n:]
    call = describe_call("recall_costs", database, queries, k)
    got = call_unmodified(kata.recall_costs, database, queries, k)
    assert set(got) == {"normalized", "whitened", "sq8", "binary"}, f"{call} returned keys {sorted(got)}"
    flat = faiss.IndexFlatL2(d)
    flat.add(database)
    truth = flat.search(queries, k)[1]
    want = {}
    nd, nq = database.copy(), queries.copy()
    faiss.normalize_L2(nd)
    faiss.normalize_L2(nq)
    cos = faiss.IndexFlatIP(d)
    cos.add(nd)
    want["normalized"] = faiss_recall(cos.search(nq, k)[1], truth)
    pca = PCA(whiten=True).fit(database.astype(np.float64))
    wd, wq = pca.transform(database).astype(np.float32), pca.transform(queries).astype(np.float32)
    white = faiss.IndexFlatL2(d)
    white.add(wd)
    want["whitened"] = faiss_recall(white.search(wq, k)[1], truth)
    sq = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit)
    sq.train(database)
    sq.add(database)
    want["sq8"] = faiss_recall(sq.search(queries, k)[1], truth)
    binary = faiss.IndexBinaryFlat(16)
    pack = lambda v: np.packbits(v > 0, axis=1)   # noqa: E731
    binary.add(pack(database))
    bd, bi = binary.search(pack(queries), n)
    full = np.zeros((len(queries), n), dtype=np.int64)
    np.put_along_axis(full, bi, bd, axis=1)
    want["binary"] = faiss_recall(np.argsort(full, axis=1, kind="stable")[:, :k], truth)
    # float32 vs float64 distances may swap two neighbours at the k-th place: one in 15 * k
    for key in want:
        assert abs(got[key] - want[key]) <= 1.01 / (15 * k), f"{call}[{key!r}] = {got[key]:.3f}, FAISS pipeline {want[key]:.3f}"
    assert got["sq8"] >= 0.8, f"{call}: 8-bit codes should keep recall@{k} >= 0.8, got {got['sq8']:.2f}"
    assert got["binary"] < got["sq8"], f"{call}: 1 bit per dimension should cost more recall than 8: {got}"
