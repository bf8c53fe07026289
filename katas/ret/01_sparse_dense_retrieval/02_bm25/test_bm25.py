"""Tests for ret-01-2, BM25 scoring.

Reference: rank_bm25.BM25Okapi (its idf table and get_scores) on the same tokenized corpus with the
same k1, b and epsilon; brute-force document frequencies; closed forms at k1 = 0 (binary match) and
b = 0 (no length normalization).
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from grader.testing import assert_close, assert_equal, describe_call

TOKENS = ["a", "b", "c", "d", "e", "f"]
K1 = st.sampled_from([0.5, 1.2, 1.5, 2.0, 3.0])
B = st.sampled_from([0.0, 0.25, 0.75, 1.0])
EPS = st.sampled_from([0.0, 0.25, 0.5, 1.0])


def corpus(min_docs: int = 1, max_docs: int = 7) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(st.sampled_from(TOKENS), max_size=6), min_size=min_docs, max_size=max_docs).filter(
        lambda docs: any(docs))


def queries() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([*TOKENS, "zzz"]), max_size=5)


def brute_df(docs: list[list[str]]) -> dict[str, int]:
    return {t: sum(t in d for d in docs) for d in docs for t in d}


def reference_scores(query: list[str], docs: list[list[str]], **options: float) -> np.ndarray:
    # rank-bm25 evaluates 0 / 0 (k1 = 0, or an empty document at b = 1) to NaN where the term is
    # absent; the contract says such a document gets 0 from that term.
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(BM25Okapi(docs, **options).get_scores(query), nan=0.0)


@given(docs=corpus())
@example(docs=[["a", "a", "b"], ["a"], []])
def test_document_frequencies(kata, docs):
    call = describe_call("document_frequencies", docs)
    got = kata.document_frequencies(docs)
    want = brute_df(docs)
    assert dict(got) == want, f"{call} returned {dict(got)}, expected {want} (documents containing each token)"


@given(docs=corpus(), eps=EPS)
@example(docs=[["a", "e", "f"], ["a", "e"], ["e"], ["d"]], eps=0.25)   # idf(a) is exactly 0: not floored
@example(docs=[["a"], ["a", "b"], ["a"]], eps=0.5)                      # a negative idf gets the floor
def test_idf_matches_rank_bm25(kata, docs, eps):
    df = brute_df(docs)
    call = describe_call("okapi_idf", df, len(docs), epsilon=eps)
    got = kata.okapi_idf(df, len(docs), epsilon=eps)
    want = BM25Okapi(docs, epsilon=eps).idf
    assert set(got) == set(want), f"{call} returned idf for {sorted(got)}, expected {sorted(want)}"
    terms = sorted(want)
    # ln(x / y) and ln x - ln y agree to a few ulps
    assert_close([got[t] for t in terms], [want[t] for t in terms], rtol=1e-12, atol=1e-12,
                 name=f"idf of {terms}", call=call)


@given(docs=corpus())
def test_idf_default_epsilon(kata, docs):
    df = brute_df(docs)
    got = kata.okapi_idf(df, len(docs))
    want = BM25Okapi(docs).idf
    terms = sorted(want)
    assert_close([got[t] for t in terms], [want[t] for t in terms], rtol=1e-12, atol=1e-12,
                 name="idf with the default epsilon 0.25", call=describe_call("okapi_idf", df, len(docs)))


@given(n=st.integers(1, 5))
def test_idf_of_empty_df_is_rejected(kata, n):
    with pytest.raises(ValueError):
        kata.okapi_idf({}, n)
        pytest.fail(f"okapi_idf({{}}, {n}) returned instead of raising ValueError")


@given(query=queries(), docs=corpus(), k1=K1, b=B, eps=EPS)
@example(query=["a", "a", "zzz"], docs=[["a", "b"], ["a", "a", "a", "c", "c", "d"], ["e"]], k1=1.5, b=0.75,
         eps=0.25)                                            # repeated query word counts twice; unseen word 0
@example(query=["b"], docs=[["a"], ["b", "b"], ["b", "c", "d", "e", "f"], []], k1=1.2, b=1.0, eps=0.25)
@example(query=[], docs=[["a"]], k1=1.5, b=0.75, eps=0.25)
def test_scores_match_rank_bm25(kata, query, docs, k1, b, eps):
    call = describe_call("bm25_scores", query, docs, k1=k1, b=b, epsilon=eps)
    got = kata.bm25_scores(query, docs, k1=k1, b=b, epsilon=eps)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    # rank-bm25 sums the same float64 terms in the same order; a few ulps of slack
    assert_close(got, reference_scores(query, docs, k1=k1, b=b, epsilon=eps), rtol=1e-10, atol=1e-12,
                 name="scores", call=call)


@given(query=queries(), docs=corpus())
@example(query=["a", "b"], docs=[["a", "a", "a"], ["b", "c", "d", "e"], ["a", "c"]])
def test_scores_defaults(kata, query, docs):
    call = describe_call("bm25_scores", query, docs)
    assert_close(kata.bm25_scores(query, docs), reference_scores(query, docs), rtol=1e-10, atol=1e-12,
                 name="scores with k1=1.5, b=0.75, epsilon=0.25", call=call)


@given(query=queries(), docs=corpus(), b=B)
@example(query=["a"], docs=[["a", "a"], ["b"], []], b=1.0)
def test_k1_zero_is_binary_match(kata, query, docs, b):
    """k1 = 0: term frequency saturates at once, each matched query token adds its idf."""
    idf = BM25Okapi(docs).idf
    want = [sum(idf.get(q, 0.0) for q in query if q in d) for d in docs]
    call = describe_call("bm25_scores", query, docs, k1=0.0, b=b)
    assert_close(kata.bm25_scores(query, docs, k1=0.0, b=b), want, rtol=1e-10, atol=1e-12,
                 name="scores at k1 = 0", call=call)


@given(query=queries(), docs=corpus(), k1=K1)
@example(query=["a"], docs=[["a"], ["a", "b", "c", "d"], ["b"]], k1=1.5)
def test_b_zero_ignores_document_length(kata, query, docs, k1):
    idf = BM25Okapi(docs).idf
    want = [sum(idf.get(q, 0.0) * d.count(q) * (k1 + 1) / (d.count(q) + k1) for q in query) for d in docs]
    call = describe_call("bm25_scores", query, docs, k1=k1, b=0.0)
    assert_close(kata.bm25_scores(query, docs, k1=k1, b=0.0), want, rtol=1e-10, atol=1e-12,
                 name="scores at b = 0", call=call)


@given(k1=st.sampled_from([-1.0, -1e-9, 0.5]), b=st.sampled_from([-0.5, -1e-9, 1.0 + 1e-9, 2.0, 0.5]))
@example(k1=-1e-9, b=0.5)
@example(k1=0.5, b=1.0 + 1e-9)
@example(k1=0.5, b=-1e-9)
def test_invalid_parameters_are_rejected(kata, k1, b):
    if k1 >= 0 and 0 <= b <= 1:
        k1 = -k1 - 1
    with pytest.raises(ValueError):
        kata.bm25_scores(["a"], [["a", "b"], ["b"]], k1=k1, b=b)
        pytest.fail(f"bm25_scores(k1={k1}, b={b}) returned instead of raising ValueError")


@given(docs=st.lists(st.just([]), min_size=1, max_size=3))
def test_corpus_without_tokens_is_rejected(kata, docs):
    with pytest.raises(ValueError):
        kata.bm25_scores(["a"], docs)
        pytest.fail(f"bm25_scores(['a'], {docs}) returned instead of raising ValueError (no token in the corpus)")


def test_ranking_on_a_readable_corpus(kata):
    """A hand-checkable case: the short document that repeats the rare query word ranks first."""
    docs = [s.split() for s in ["the cat sat on the mat", "the dog sat", "cat cat", "the the the the",
                                 "a dog ran", "mat on the floor"]]
    got = kata.bm25_scores(["cat"], docs)
    order = list(np.argsort(-np.asarray(got), kind="stable"))
    assert_equal(order[:2], [2, 0], name="ranking for 'cat'", call=describe_call("bm25_scores", ["cat"], docs))
    assert all(math.isclose(got[i], 0.0) for i in (1, 3, 4, 5)), f"documents without 'cat' scored {got}"
