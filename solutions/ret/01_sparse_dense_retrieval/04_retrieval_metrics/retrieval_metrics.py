"""Reference solution for ret-01-4."""
from __future__ import annotations

import numpy as np


def _check_k(ranking: np.ndarray, k: int) -> None:
    if not 1 <= k <= ranking.shape[1]:
        raise ValueError(f"k must be in 1..{ranking.shape[1]}, got {k}")


def _hits(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    grades = np.take_along_axis(relevance, ranking[:, :k], axis=1)
    return (grades > 0).sum(axis=1)


def precision_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    return _hits(ranking, relevance, k) / k


def recall_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    _check_k(ranking, k)
    total = (relevance > 0).sum(axis=1)
    if np.any(total == 0):
        raise ValueError("recall is undefined for a query without relevant documents")
    return _hits(ranking, relevance, k) / total


def reciprocal_rank(ranking: np.ndarray, relevance: np.ndarray) -> np.ndarray:
    relevant = np.take_along_axis(relevance, ranking, axis=1) > 0
    first = np.argmax(relevant, axis=1)
    found = relevant.any(axis=1)
    return np.where(found, 1.0 / (first + 1), 0.0)


def ndcg_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    _check_k(ranking, k)
    if gain == "linear":
        g = relevance
    elif gain == "exponential":
        g = np.exp2(relevance) - 1
    else:
        raise ValueError(f"gain must be 'linear' or 'exponential', got {gain!r}")
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (np.take_along_axis(g, ranking[:, :k], axis=1) * discount).sum(axis=1)
    ideal = -np.sort(-g, axis=1)[:, :k]
    idcg = (ideal * discount).sum(axis=1)
    return dcg / np.where(idcg > 0, idcg, 1.0)  # idcg = 0 means every gain is 0, so dcg = 0 too
