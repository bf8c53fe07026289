"""Tests for ret-01-4, retrieval metrics.

References: sklearn.metrics.ndcg_score (per query and averaged; exponential gain by handing it
2**grade - 1), and brute force over Python sets for precision@k, recall@k and reciprocal rank.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


@st.composite
def judged_rankings(draw: st.DrawFn, min_docs: int = 1, all_relevant_rows: bool = False) -> tuple:
    """(ranking (q, L) int64, relevance (q, n) grades 0..3 (integers, or floats with half grades), k in 1..L)."""
    n_docs = draw(st.integers(min_docs, 8))
    n_queries = draw(st.integers(1, 4))
    length = draw(st.integers(1, n_docs))
    ranking = np.array([draw(st.permutations(range(n_docs)))[:length] for _ in range(n_queries)], dtype=np.int64)
    grades = st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0, 3.0])
    relevance = np.array([[draw(grades) for _ in range(n_docs)] for _ in range(n_queries)])
    if all_relevant_rows:
        for row in relevance:
            if not (row > 0).any():
                row[draw(st.integers(0, n_docs - 1))] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        relevance = np.ceil(relevance).astype(np.int64)
    k = draw(st.integers(1, length))
    return ranking, relevance, k


def brute_hits(ranking: np.ndarray, relevance: np.ndarray, k: int) -> list[int]:
    return [len({int(d) for d in row[:k]} & {int(d) for d in np.flatnonzero(rel > 0)})
            for row, rel in zip(ranking, relevance, strict=True)]


def check_result(got: np.ndarray, n_queries: int, call: str) -> None:
    assert_shape(got, (n_queries,), call=call)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"


def sklearn_scores(ranking: np.ndarray, n_docs: int) -> np.ndarray:
    """Scores whose descending order is the ranking; unranked documents tie below every ranked one."""
    scores = np.full((len(ranking), n_docs), -1.0)
    for q, row in enumerate(ranking):
        scores[q, row] = np.arange(len(row), 0, -1)
    return scores


@given(case=judged_rankings())
@example(case=(np.array([[2, 0, 1]]), np.array([[1, 0, 3]]), 2))      # one of the top 2 relevant: 1/2
@example(case=(np.array([[0, 1]]), np.array([[0, 0]]), 2))            # nothing relevant: 0
def test_precision_at_k(kata, case):
    ranking, relevance, k = case
    call = describe_call("precision_at_k", ranking, relevance, k)
    got = call_unmodified(kata.precision_at_k, ranking, relevance, k)
    check_result(got, len(ranking), call)
    assert_close(got, np.array(brute_hits(ranking, relevance, k)) / k, rtol=1e-12, atol=0, name="precision", call=call)


@given(case=judged_rankings(all_relevant_rows=True))
@example(case=(np.array([[2, 0]]), np.array([[1, 0, 3, 2]]), 2))      # 2 of 3 relevant retrieved
@example(case=(np.array([[0]]), np.array([[0, 0, 1]]), 1))           # the relevant document was not retrieved
def test_recall_at_k(kata, case):
    ranking, relevance, k = case
    call = describe_call("recall_at_k", ranking, relevance, k)
    got = call_unmodified(kata.recall_at_k, ranking, relevance, k)
    check_result(got, len(ranking), call)
    want = np.array(brute_hits(ranking, relevance, k)) / (relevance > 0).sum(axis=1)
    assert_close(got, want, rtol=1e-12, atol=0, name="recall", call=call)


@given(case=judged_rankings())
@example(case=(np.array([[3, 1, 0, 2]]), np.array([[0, 1, 3, 0]]), 1))   # first relevant at rank 2, best grade at rank 4
@example(case=(np.array([[1, 0]]), np.array([[0, 0, 2]]), 1))            # no relevant document retrieved: 0
def test_reciprocal_rank(kata, case):
    ranking, relevance, _ = case
    call = describe_call("reciprocal_rank", ranking, relevance)
    got = call_unmodified(kata.reciprocal_rank, ranking, relevance)
    check_result(got, len(ranking), call)
    want = []
    for row, rel in zip(ranking, relevance, strict=True):
        ranks = [i + 1 for i, d in enumerate(row) if rel[d] > 0]
        want.append(1.0 / ranks[0] if ranks else 0.0)
    assert_close(got, want, rtol=1e-12, atol=0, name="reciprocal ranks", call=call)


@given(case=judged_rankings(min_docs=2), gain=st.sampled_from(["linear", "exponential"]))
@example(case=(np.array([[0, 1]]), np.array([[0, 0, 3]]), 2), gain="linear")        # relevant doc never retrieved
@example(case=(np.array([[0, 1, 2]]), np.array([[1, 0, 2, 3]]), 2), gain="linear")   # ideal cut at k
@example(case=(np.array([[1, 0]]), np.array([[0, 0]]), 1), gain="exponential")      # all irrelevant: 0
@example(case=(np.array([[2, 0, 1]]), np.array([[1, 3, 2]]), 3), gain="exponential")
@example(case=(np.array([[1, 0]]), np.array([[0.5, 0.0]]), 1), gain="linear")        # IDCG below 1
def test_ndcg_matches_sklearn(kata, case, gain):
    ranking, relevance, k = case
    call = describe_call("ndcg_at_k", ranking, relevance, k, gain=gain)
    got = call_unmodified(kata.ndcg_at_k, ranking, relevance, k, gain=gain)
    check_result(got, len(ranking), call)
    y_true = relevance if gain == "linear" else np.exp2(relevance.astype(np.float64)) - 1
    scores = sklearn_scores(ranking, relevance.shape[1])
    want = [ndcg_score(y_true[q:q + 1], scores[q:q + 1], k=k) for q in range(len(ranking))]
    # a handful of logs and a ratio in float64
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="nDCG per query", call=call)
    assert_close(np.mean(got), ndcg_score(y_true, scores, k=k), rtol=1e-10, atol=1e-12,
                 name="mean nDCG (sklearn.metrics.ndcg_score over the batch)", call=call)


@given(case=judged_rankings(min_docs=2))
def test_ndcg_default_gain_is_linear(kata, case):
    ranking, relevance, k = case
    call = describe_call("ndcg_at_k", ranking, relevance, k)
    want = ndcg_score(relevance, sklearn_scores(ranking, relevance.shape[1]), k=k)
    assert_close(np.mean(kata.ndcg_at_k(ranking, relevance, k)), want, rtol=1e-10, atol=1e-12,
                 name="mean nDCG with the default gain", call=call)


@given(grade=st.integers(0, 3), gain=st.sampled_from(["linear", "exponential"]))
def test_ndcg_single_document(kata, grade, gain):
    """One document (sklearn refuses n_docs = 1): nDCG is 1 when it is relevant, else 0."""
    got = kata.ndcg_at_k(np.array([[0]]), np.array([[grade]]), 1, gain=gain)
    assert_close(got, [1.0 if grade > 0 else 0.0], rtol=0, atol=1e-12, name="nDCG",
                 call=describe_call("ndcg_at_k", [[0]], [[grade]], 1, gain=gain))


@given(length=st.integers(1, 4), bad=st.sampled_from(["zero", "negative", "past_end"]),
       fn=st.sampled_from(["precision_at_k", "recall_at_k", "ndcg_at_k"]))
def test_k_outside_the_ranking_is_rejected(kata, length, bad, fn):
    ranking = np.arange(length)[None, :]
    relevance = np.ones((1, 5))
    k = {"zero": 0, "negative": -1, "past_end": length + 1}[bad]
    with pytest.raises(ValueError):
        getattr(kata, fn)(ranking, relevance, k)
        pytest.fail(f"{fn}(ranking of length {length}, k={k}) returned instead of raising ValueError")


@given(n_docs=st.integers(1, 5))
def test_recall_without_relevant_documents_is_rejected(kata, n_docs):
    relevance = np.zeros((2, n_docs))
    relevance[0, 0] = 1
    with pytest.raises(ValueError):
        kata.recall_at_k(np.zeros((2, 1), dtype=np.int64), relevance, 1)
        pytest.fail("recall_at_k with a query that has no relevant document returned instead of raising ValueError")


@given(gain=st.sampled_from(["log", "Linear", "exp", ""]))
def test_unknown_gain_is_rejected(kata, gain):
    with pytest.raises(ValueError):
        kata.ndcg_at_k(np.array([[0, 1]]), np.array([[1, 0]]), 1, gain=gain)
        pytest.fail(f"ndcg_at_k(gain={gain!r}) returned instead of raising ValueError")
