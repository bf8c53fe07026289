"""Tests for nlp-24-2, precision-recall curves and the latency overhead of reranking.

References: sklearn.metrics.precision_recall_curve and average_precision_score (ties, all-positive and
single-item cases included); the cost model written out here and the call counters of the given
pipeline; the figure's step lines. Wall-clock latencies are printed by the benchmark test only.
"""
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, precision_recall_curve

from grader.testing import assert_close, call_unmodified, describe_call


@st.composite
def labelled_scores(draw):
    n = draw(st.integers(1, 15))
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    labels[draw(st.integers(0, n - 1))] = 1        # at least one positive
    scores = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))) / 4.0   # many ties
    return labels, scores


@given(data=labelled_scores())
@example(data=(np.array([1]), np.array([0.5])))
@example(data=(np.array([1, 1, 1]), np.array([0.0, 0.0, 0.0])))
@example(data=(np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.4, 0.4, 0.8, 0.9])))
def test_pr_curve_matches_sklearn(kata, data):
    labels, scores = data
    call = describe_call("pr_curve", labels, scores)
    got = call_unmodified(kata.pr_curve, labels, scores)
    want = precision_recall_curve(labels, scores)
    for name, g, w in zip(("precision", "recall", "thresholds"), got, want, strict=True):
        assert_close(np.asarray(g, dtype=np.float64), w, rtol=0, atol=1e-12, name=name, call=call)
    ap = kata.average_precision(labels, scores)
    assert_close(float(ap), average_precision_score(labels, scores), rtol=0, atol=1e-12, name="average precision",
                 call=describe_call("average_precision", labels, scores))


def test_pr_curve_needs_a_positive(kata):
    with pytest.raises(ValueError):
        kata.pr_curve(np.array([0, 0]), np.array([0.1, 0.2]))


@given(n_queries=st.integers(1, 100), k=st.integers(0, 100), query_cost=st.sampled_from([0.5, 1.0, 3.0]),
       pair_cost=st.sampled_from([0.1, 1.0, 10.0]))
@example(n_queries=1, k=0, query_cost=1.0, pair_cost=10.0)
def test_rerank_cost(kata, n_queries, k, query_cost, pair_cost):
    got = kata.rerank_cost(n_queries, k, query_cost, pair_cost)
    r, rr = n_queries * query_cost, n_queries * k * pair_cost
    want = {"retrieval": r, "rerank": rr, "overhead": (r + rr) / r}
    for key, v in want.items():
        assert abs(float(got[key]) - v) <= 1e-9 * max(1.0, v), (
            f"rerank_cost({n_queries}, {k}, {query_cost}, {pair_cost})[{key!r}] = {got.get(key)}, expected {v}")


def test_rerank_cost_rejects_bad_sizes(kata):
    with pytest.raises(ValueError):
        kata.rerank_cost(0, 5, 1.0, 1.0)
    with pytest.raises(ValueError):
        kata.rerank_cost(3, -1, 1.0, 1.0)


@given(n=st.integers(1, 8), n_p=st.integers(1, 20), k=st.integers(0, 20), seed=st.integers(0, 100))
def test_measure_rerank_cost_counts_the_pipeline(kata, n, n_p, k, seed):
    k = min(k, n_p)
    rng = np.random.default_rng(seed)
    queries, passages = rng.normal(size=(n, 3)), rng.normal(size=(n_p, 3))
    got = kata.measure_rerank_cost(lambda q: q, passages, lambda q, p: (q * p).sum(1), queries, passages, k)
    want = {"query_encodings": n, "pairs_scored": n * k, "calls": 1 + (k > 0)}
    assert {key: int(got[key]) for key in want} == want, (
        f"measure_rerank_cost with {n} queries, k={k}: {got}, expected {want} (one batched call each)")


@settings(max_examples=2)
@given(names=st.lists(st.sampled_from(["bi-encoder", "reranked", "bm25"]), min_size=1, max_size=3, unique=True))
def test_plot_pr_curves(kata, names):
    rng = np.random.default_rng(0)
    curves = {}
    for name in names:
        y = rng.integers(0, 2, 20)
        y[0] = 1
        p, r, _ = precision_recall_curve(y, rng.random(20))
        curves[name] = (p, r)
    fig = kata.plot_pr_curves(curves)
    try:
        ax = fig.axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("recall", "precision"), "labels must be 'recall' and 'precision'"
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert set(lines) == set(names), f"plot_pr_curves: lines {sorted(lines)}, expected one per curve {names}"
        for name, (p, r) in curves.items():
            assert set(np.round(lines[name].get_xdata(), 12)) == set(np.round(r, 12)), f"{name}: x data must be recall"
            assert set(np.round(lines[name].get_ydata(), 12)) == set(np.round(p, 12)), f"{name}: y data must be precision"
    finally:
        plt.close(fig)


@pytest.mark.benchmark
def test_benchmark_latency_overhead(kata):
    rng = np.random.default_rng(0)
    passages = rng.normal(size=(20_000, 64)).astype(np.float32)
    w = rng.normal(size=(64, 64)).astype(np.float32)
    big = rng.normal(size=(128, 1024)).astype(np.float32)

    def cross(q, p):                       # a heavier pairwise scorer standing in for a transformer
        return np.tanh(np.concatenate([q, p], 1) @ big[:, :1024]).sum(1)
    queries = rng.normal(size=(32, 64)).astype(np.float32)
    print("\n  k   total ms   overhead vs retrieval only")
    t0 = time.perf_counter()
    kata.retrieve_then_rerank(lambda q: q @ w, passages, cross, queries, passages, 0)
    base = time.perf_counter() - t0
    for k in (10, 50, 200):
        t0 = time.perf_counter()
        kata.retrieve_then_rerank(lambda q: q @ w, passages, cross, queries, passages, k)
        t = time.perf_counter() - t0
        print(f"{k:4d}   {t * 1e3:8.1f}   {t / base:5.2f}x   counters: "
              f"{kata.measure_rerank_cost(lambda q: q @ w, passages, cross, queries, passages, k)}")
