"""Tests for nlp-22-2, hybrid search: BM25 + dense embeddings, fused.

References: rank_bm25.BM25Okapi (the same idf with its epsilon floor) for the sparse scores; the
reciprocal rank fusion and min-max weighted fusion formulas written out here; properties (alpha = 0
and 1 give the single rankings back, RRF is symmetric in its inputs); a corpus where half the queries
can only be matched lexically and half only semantically, where weighted fusion must beat both retrievers.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

WORDS = [f"w{i}" for i in range(12)]


@st.composite
def corpora(draw: st.DrawFn) -> list[list[str]]:
    n = draw(st.integers(1, 8))
    return [draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10)) for _ in range(n)]


@given(corpus=corpora(), query=st.lists(st.sampled_from(WORDS + ["unseen"]), min_size=1, max_size=5),
       k1=st.sampled_from([0.5, 1.2, 1.5, 2.0]), b=st.sampled_from([0.0, 0.5, 0.75, 1.0]),
       epsilon=st.sampled_from([0.0, 0.25, 0.5]))
@example(corpus=[["w0", "w1"], ["w0"], ["w0", "w2", "w2"]], query=["w0", "w2"], k1=1.5, b=0.75, epsilon=0.25)
@example(corpus=[["w0"]], query=["w0"], k1=1.5, b=0.75, epsilon=0.25)   # one document: negative idf floored
def test_bm25_matches_rank_bm25(kata, corpus, query, k1, b, epsilon):
    got = kata.BM25(corpus, k1=k1, b=b, epsilon=epsilon).scores(query)
    want = BM25Okapi(corpus, k1=k1, b=b, epsilon=epsilon).get_scores(query)
    assert_close(np.asarray(got), want, rtol=1e-10, atol=1e-12, name="BM25 scores",
                 call=describe_call("BM25(corpus, k1, b, epsilon).scores", query) + f" on {corpus}")


def test_bm25_rejects_an_empty_corpus(kata):
    with pytest.raises(ValueError):
        kata.BM25([])


@given(n_docs=st.integers(1, 10), n_lists=st.integers(1, 3), k=st.sampled_from([0.0, 1.0, 60.0]), seed=seeds())
@example(n_docs=3, n_lists=2, k=60.0, seed=0)
def test_rrf_scores(kata, n_docs, n_lists, k, seed):
    rng = np.random.default_rng(seed)
    rankings = [rng.permutation(n_docs)[: rng.integers(1, n_docs + 1)].tolist() for _ in range(n_lists)]
    got = kata.rrf_scores(rankings, n_docs, k)
    want = np.zeros(n_docs)
    for r in rankings:
        for pos, doc in enumerate(r):
            want[doc] += 1 / (k + pos + 1)
    assert_close(np.asarray(got), want, rtol=1e-12, atol=0, name="sum over rankings of 1 / (k + rank), rank from 1",
                 call=describe_call("rrf_scores", rankings, n_docs, k))
    assert_close(np.asarray(kata.rrf_scores(rankings[::-1], n_docs, k)), want, rtol=1e-12, atol=0,
                 name="RRF with the rankings in the other order", call="rrf_scores(reversed rankings)")


@given(n=st.integers(1, 10), alpha=st.floats(0.0, 1.0, width=32), constant=st.booleans(), seed=seeds())
@example(n=4, alpha=0.0, constant=False, seed=0)
@example(n=4, alpha=1.0, constant=True, seed=1)     # constant dense scores normalise to 0
def test_weighted_scores(kata, n, alpha, constant, seed):
    rng = np.random.default_rng(seed)
    sparse = rng.gamma(2.0, size=n)
    dense = np.full(n, 0.3) if constant else rng.normal(size=n)

    def mm(s):
        return np.zeros(n) if np.ptp(s) == 0 else (s - s.min()) / np.ptp(s)
    got = kata.weighted_scores(sparse, dense, alpha)
    assert_close(np.asarray(got), alpha * mm(dense) + (1 - alpha) * mm(sparse), rtol=1e-12, atol=1e-12,
                 name="alpha * minmax(dense) + (1 - alpha) * minmax(sparse)",
                 call=describe_call("weighted_scores", sparse, dense, alpha))


@given(alpha=st.sampled_from([-0.5, 1.5]))
def test_weighted_scores_rejects_alpha_outside_unit_interval(kata, alpha):
    with pytest.raises(ValueError):
        kata.weighted_scores(np.ones(2), np.ones(2), alpha)


def bench_corpus(seed: int):
    """Documents with a unique keyword pair and a topic vector; lexical queries name the keywords but carry
    a useless vector, semantic queries carry the document's vector (noisy) but only common words."""
    rng = np.random.default_rng(seed)
    n = 60
    docs = [[f"key{i}a", f"key{i}b"] + [f"common{j}" for j in rng.integers(0, 5, 8)] for i in range(n)]
    vecs = rng.normal(size=(n, 16))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    queries = []
    for i in range(n):
        if i % 2 == 0:
            queries.append(([f"key{i}a", f"common{rng.integers(0, 5)}"], rng.normal(size=16)))
        else:
            queries.append(([f"common{j}" for j in rng.integers(0, 5, 3)], vecs[i] + 0.3 * rng.normal(size=16)))
    return docs, vecs, queries


@settings(max_examples=3)
@given(seed=seeds())
def test_weighted_fusion_beats_either_retriever(kata, seed):
    """Weighted fusion wins here; RRF does not: for every query one retriever is pure noise, and RRF gives a
    noise ranking as much say as the informative one (the README discusses it)."""
    method = "weighted"
    docs, vecs, queries = bench_corpus(seed)
    bm25 = kata.BM25(docs)
    hits = {"sparse": 0, "dense": 0, "hybrid": 0}
    for i, (words, qv) in enumerate(queries):
        sparse, dense = bm25.scores(words), vecs @ qv
        hits["sparse"] += i in np.argsort(-sparse, kind="stable")[:3]
        hits["dense"] += i in np.argsort(-dense, kind="stable")[:3]
        got = kata.hybrid_search(bm25, vecs, words, qv, 3, method=method)
        hits["hybrid"] += i in list(got)
    assert hits["hybrid"] > max(hits["sparse"], hits["dense"]), (
        f"recall@3 over {len(queries)} queries, half lexical and half semantic: {hits}; hybrid_search(method="
        f"{method!r}) should beat both single retrievers")


@given(n=st.integers(1, 12), k=st.integers(1, 12), method=st.sampled_from(["rrf", "weighted"]),
       alpha=st.sampled_from([0.0, 0.3, 1.0]), rrf_k=st.sampled_from([1.0, 60.0]), seed=seeds())
@example(n=5, k=5, method="weighted", alpha=1.0, rrf_k=60.0, seed=0)
def test_hybrid_search_ranks_the_fused_scores(kata, n, k, method, alpha, rrf_k, seed):
    rng = np.random.default_rng(seed)
    docs = [list(rng.choice(WORDS, size=rng.integers(1, 6))) for _ in range(n)]
    vecs = rng.normal(size=(n, 4))
    query, qv = list(rng.choice(WORDS, size=2)), rng.normal(size=4)
    bm25 = kata.BM25(docs)
    sparse, dense = BM25Okapi(docs).get_scores(query), vecs @ qv
    if method == "rrf":
        fused = np.zeros(n)
        for s in (sparse, dense):
            for pos, doc in enumerate(np.argsort(-s, kind="stable")):
                fused[doc] += 1 / (rrf_k + pos + 1)
    else:
        def mm(s):
            return np.zeros(n) if np.ptp(s) == 0 else (s - s.min()) / np.ptp(s)
        fused = alpha * mm(dense) + (1 - alpha) * mm(sparse)
    want = np.argsort(-fused, kind="stable")[:k]
    got = kata.hybrid_search(bm25, vecs, query, qv, k, method=method, alpha=alpha, rrf_k=rrf_k)
    assert_equal(np.asarray(got), want, name="top-k ids of the fused scores (ties: smaller id)",
                 call=describe_call("hybrid_search", "bm25", vecs, query, qv, k, method=method, alpha=alpha, rrf_k=rrf_k))


def test_unknown_method_raises(kata):
    bm25 = kata.BM25([["w0"], ["w1"]])
    with pytest.raises(ValueError):
        kata.hybrid_search(bm25, np.eye(2), ["w0"], np.ones(2), 1, method="max")
