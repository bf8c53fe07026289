"""Tests for nlp-23-2, a hierarchical (inverted-file) index and recall@k across probe depths.

References: faiss.IndexIVFFlat built on the same centroids (same coarse quantizer, same nprobe) must
return the same neighbours and squared distances; exact brute-force search for the ground truth;
recall@k by set intersection; the scanned-candidate counter against the inverted lists' sizes.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call


def data(seed: int, n: int, d: int, n_clusters: int):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(n_clusters, d)) * 3
    x = (centers[rng.integers(0, n_clusters, n)] + rng.normal(size=(n, d))).astype(np.float32)
    c = x[rng.choice(n, n_clusters, replace=False)].astype(np.float32)
    q = (centers[rng.integers(0, n_clusters, 5)] + rng.normal(size=(5, d))).astype(np.float32)
    return x, c, q


@given(n=st.integers(5, 80), d=st.integers(1, 6), n_clusters=st.integers(1, 5), k=st.integers(1, 10),
       n_probe=st.integers(1, 5), seed=seeds())
@example(n=5, d=2, n_clusters=5, k=10, n_probe=1, seed=0)    # fewer candidates than k: -1 / inf padding
def test_matches_faiss_ivf(kata, n, d, n_clusters, k, n_probe, seed):
    n_probe = min(n_probe, n_clusters)
    x, c, q = data(seed, n, d, n_clusters)
    index = kata.HierarchicalIndex(c)
    index.add(x[: n // 2])
    index.add(x[n // 2:])         # ids continue across add calls
    dist, ids, scanned = index.search(q, k, n_probe)
    quantizer = faiss.IndexFlatL2(d)
    quantizer.add(c)
    ivf = faiss.IndexIVFFlat(quantizer, d, n_clusters)
    ivf.is_trained = True
    ivf.add(x)
    ivf.nprobe = n_probe
    want_d, want_i = ivf.search(q, k)
    call = describe_call("HierarchicalIndex(centroids).search", q, k, n_probe) + f" over {n} vectors"
    assert_equal(np.asarray(ids), want_i, name="neighbour ids (faiss.IndexIVFFlat with the same centroids)", call=call)
    finite = np.isfinite(want_d) & (want_i >= 0)
    # float32 inputs: squared distances agree to float32 rounding.
    assert_close(np.asarray(dist)[finite], want_d[finite], rtol=1e-4, atol=1e-4, name="squared L2 distances",
                 call=call)
    assert np.all(np.isinf(np.asarray(dist)[~finite])), f"{call}: padding slots must hold distance inf"
    assign = ((x[:, None, :].astype(np.float64) - c[None].astype(np.float64)) ** 2).sum(-1).argmin(1)
    cd = ((q[:, None, :].astype(np.float64) - c[None].astype(np.float64)) ** 2).sum(-1)
    want_scanned = [int(np.isin(assign, np.argsort(row, kind="stable")[:n_probe]).sum()) for row in cd]
    assert_equal(np.asarray(scanned), want_scanned, name="vectors scanned per query (sizes of the probed lists)",
                 call=call)
    for name, got, want in (("distances", dist, np.float64), ("ids", ids, np.int64), ("scanned", scanned, np.int64)):
        assert_dtype(got, want, name=f"{name} (the docstring promises {np.dtype(want).name})", call=call)


@given(n_probe=st.sampled_from([0, 6]), k=st.sampled_from([0, 1]))
def test_bad_search_arguments_raise(kata, n_probe, k):
    x, c, q = data(0, 20, 2, 5)
    index = kata.HierarchicalIndex(c)
    index.add(x)
    with pytest.raises(ValueError):
        index.search(q, k if n_probe == 6 else 1, n_probe)
    with pytest.raises(ValueError):
        index.search(q, 0, 1)


@given(n_q=st.integers(1, 6), k=st.integers(1, 5), seed=seeds())
@example(n_q=1, k=2, seed=0)
def test_recall_at_k(kata, n_q, k, seed):
    rng = np.random.default_rng(seed)
    truth = np.stack([rng.choice(20, k, replace=False) for _ in range(n_q)])
    found = np.stack([rng.choice(np.arange(-1, 20), k, replace=False) for _ in range(n_q)])
    got = kata.recall_at_k(found, truth)
    want = np.mean([len(set(f[f >= 0]) & set(t)) / k for f, t in zip(found, truth, strict=True)])
    assert abs(got - want) < 1e-12, f"recall_at_k({found.tolist()}, {truth.tolist()}) = {got}, expected {want}"


@settings(max_examples=3)
@given(seed=seeds())
def test_probe_curve_recall_rises_with_cost(kata, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(600, 8))
    q = rng.normal(size=(20, 8))
    c = kata.train_centroids(x, 12, 10, seed)
    index = kata.HierarchicalIndex(c)
    index.add(x)
    truth = np.argsort(((q[:, None] - x[None]) ** 2).sum(-1), axis=1, kind="stable")[:, :5]
    recalls, costs = kata.probe_curve(index, q, truth, 5, [1, 3, 12])
    _, ids, scanned = index.search(q, 5, 3)
    assert abs(recalls[1] - np.mean([len(set(a) & set(b)) / 5 for a, b in zip(ids, truth, strict=True)])) < 1e-12
    assert abs(costs[1] - scanned.mean()) < 1e-12, "probe_curve cost = mean vectors scanned per query"
    assert recalls[0] <= recalls[1] <= recalls[2] == 1.0 and costs[0] < costs[1] < costs[2] == 600, (
        f"recall@5 {recalls} and vectors scanned {costs} for n_probe 1, 3, 12 of 12 lists: probing more lists costs "
        f"more and finds more, and probing all is exact search")
