"""ret-01-4: retrieval metrics. Edit this file; `grader check ret-01-4` tests it.

Every function takes a batch of rankings and graded relevance judgements:
    ranking:   (n_queries, L) int array; row q lists distinct document ids, best first (L <= n_docs).
    relevance: (n_queries, n_docs) array of grades >= 0; a document is relevant when its grade > 0.
and returns one value per query, float64, shape (n_queries,). Inputs are left unchanged.
"""
from __future__ import annotations

import numpy as np


def precision_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    """(number of relevant documents among the first k of the ranking) / k.

    Shapes:
        ranking: (n_queries, L); relevance: (n_queries, n_docs); returns: (n_queries,)

    Raises:
        ValueError: if k < 1 or k > L.
    """
    raise NotImplementedError("precision_at_k: relevant hits in the top k, over k")


def recall_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    """(number of relevant documents among the first k) / (number of relevant documents in the corpus).

    Shapes:
        ranking: (n_queries, L); relevance: (n_queries, n_docs); returns: (n_queries,)

    Raises:
        ValueError: if k < 1 or k > L, or some query has no relevant document (recall undefined).
    """
    raise NotImplementedError("recall_at_k: relevant hits in the top k, over all relevant documents")


def reciprocal_rank(ranking: np.ndarray, relevance: np.ndarray) -> np.ndarray:
    """1 / (1-based position of the first relevant document in the ranking); 0 if the ranking has none.

    The mean over queries is the MRR.

    Shapes:
        ranking: (n_queries, L); relevance: (n_queries, n_docs); returns: (n_queries,)
    """
    raise NotImplementedError("reciprocal_rank: find the first relevant position")


def ndcg_at_k(ranking: np.ndarray, relevance: np.ndarray, k: int, gain: str = "linear") -> np.ndarray:
    """Normalized discounted cumulative gain of the first k positions:

        DCG@k  = sum_{i=1..k} g(rel of the document at position i) / log2(i + 1)
        IDCG@k = the same sum over the k highest grades of ALL documents of the query (ideal order)
        nDCG@k = DCG@k / IDCG@k, and 0 for a query whose documents are all irrelevant (IDCG = 0)

    g(r) = r for gain "linear" (sklearn.metrics.ndcg_score), 2**r - 1 for gain "exponential".

    Shapes:
        ranking: (n_queries, L); relevance: (n_queries, n_docs); returns: (n_queries,)

    Raises:
        ValueError: if k < 1 or k > L, or gain is not "linear" or "exponential".
    """
    raise NotImplementedError("ndcg_at_k: discounted gains of the ranking over those of the ideal order")
