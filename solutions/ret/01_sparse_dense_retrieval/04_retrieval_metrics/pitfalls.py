"""Plausible wrong retrieval metrics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from retrieval_metrics import _check_k, _hits


@pitfall(replaces="precision_at_k", why="divides by the number of retrieved relevant-or-not documents up to min(k, #relevant)")
def r_precision(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    total = np.maximum((relevance > 0).sum(axis=1), 1)
    return _hits(ranking, relevance, k) / np.minimum(k, total)


@pitfall(replaces="precision_at_k", why="counts relevant documents in the whole ranking, not the top k")
def whole_ranking(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    return _hits(ranking, relevance, ranking.shape[1]) / k


@pitfall(replaces="recall_at_k", why="divides by k instead of the number of relevant documents")
def recall_over_k(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    if np.any((relevance > 0).sum(axis=1) == 0):
        raise ValueError("no relevant documents")
    return _hits(ranking, relevance, k) / k


@pitfall(replaces="recall_at_k", why="counts relevant documents among the retrieved ones only (the ranking), not the corpus")
def recall_over_retrieved(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    total = (np.take_along_axis(relevance, ranking, axis=1) > 0).sum(axis=1)
    if np.any(total == 0):
        raise ValueError("no relevant documents")
    return _hits(ranking, relevance, k) / total


@pitfall(replaces="reciprocal_rank", why="returns 1 / rank of the highest-graded document, not of the first relevant one")
def best_grade_rank(ranking: np.ndarray, relevance: np.ndarray) -> np.ndarray:
    grades = np.take_along_axis(relevance, ranking, axis=1)
    best = np.argmax(grades, axis=1)
    return np.where((grades > 0).any(axis=1), 1.0 / (best + 1), 0.0)


@pitfall(replaces="reciprocal_rank", why="argmax of the relevance mask without checking a hit exists: 1.0 when nothing is relevant")
def no_miss(ranking: np.ndarray, relevance: np.ndarray) -> np.ndarray:
    relevant = np.take_along_axis(relevance, ranking, axis=1) > 0
    return 1.0 / (np.argmax(relevant, axis=1) + 1)


@pitfall(replaces="ndcg_at_k", why="ideal DCG from the retrieved documents re-sorted, not from all documents")
def ideal_from_ranking(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    _check_k(ranking, k)
    if gain not in ("linear", "exponential"):
        raise ValueError("bad gain")
    g = np.asarray(relevance, dtype=np.float64)
    g = g if gain == "linear" else np.exp2(g) - 1
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    got = np.take_along_axis(g, ranking, axis=1)
    dcg = (got[:, :k] * discount).sum(axis=1)
    idcg = (-np.sort(-got, axis=1)[:, :k] * discount).sum(axis=1)
    return np.where(idcg > 0, dcg / np.where(idcg > 0, idcg, 1.0), 0.0)


@pitfall(replaces="ndcg_at_k", why="discount 1 / log2(i + 2) for 1-based positions i (off by one)")
def discount_off_by_one(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    _check_k(ranking, k)
    if gain not in ("linear", "exponential"):
        raise ValueError("bad gain")
    g = np.asarray(relevance, dtype=np.float64)
    g = g if gain == "linear" else np.exp2(g) - 1
    discount = 1.0 / np.log2(np.arange(3, k + 3))
    dcg = (np.take_along_axis(g, ranking[:, :k], axis=1) * discount).sum(axis=1)
    idcg = (-np.sort(-g, axis=1)[:, :k] * discount).sum(axis=1)
    return np.where(idcg > 0, dcg / np.where(idcg > 0, idcg, 1.0), 0.0)


@pitfall(replaces="ndcg_at_k", why="ideal DCG over all relevant documents, not cut at k")
def ideal_not_cut(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    _check_k(ranking, k)
    if gain not in ("linear", "exponential"):
        raise ValueError("bad gain")
    g = np.asarray(relevance, dtype=np.float64)
    g = g if gain == "linear" else np.exp2(g) - 1
    n = g.shape[1]
    discount = 1.0 / np.log2(np.arange(2, n + 2))
    dcg = (np.take_along_axis(g, ranking[:, :k], axis=1) * discount[:k]).sum(axis=1)
    idcg = (-np.sort(-g, axis=1) * discount).sum(axis=1)
    return np.where(idcg > 0, dcg / np.where(idcg > 0, idcg, 1.0), 0.0)


@pitfall(replaces="ndcg_at_k", why="binary gains (relevant or not): the grades are ignored")
def binary_gain(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    _check_k(ranking, k)
    if gain not in ("linear", "exponential"):
        raise ValueError("bad gain")
    g = (np.asarray(relevance) > 0).astype(np.float64)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (np.take_along_axis(g, ranking[:, :k], axis=1) * discount).sum(axis=1)
    idcg = (-np.sort(-g, axis=1)[:, :k] * discount).sum(axis=1)
    return np.where(idcg > 0, dcg / np.where(idcg > 0, idcg, 1.0), 0.0)
