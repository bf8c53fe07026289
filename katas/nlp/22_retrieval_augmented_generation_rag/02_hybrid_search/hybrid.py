"""nlp-22-2: hybrid search, sparse BM25 + dense embeddings. Edit this file;
`grader check nlp-22-2` tests it."""
from __future__ import annotations

import math  # noqa: F401
from collections import Counter  # noqa: F401
from collections.abc import Sequence

import numpy as np


class BM25:
    """Okapi BM25 over tokenised documents, with the idf of rank_bm25's BM25Okapi:

        idf(w) = ln(N - n_w + 0.5) - ln(n_w + 0.5)      (N documents, n_w containing w)

    and every negative idf replaced by epsilon * (mean idf over the vocabulary).
    scores(query) -> (N,) float64: sum over query tokens (repeats count again) of
        idf(w) * f(w, d) (k1 + 1) / (f(w, d) + k1 (1 - b + b |d| / avgdl));   unknown words add 0.

    Raises:
        ValueError: for an empty corpus.
    """

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        raise NotImplementedError("BM25.__init__: term frequencies, document lengths, idf with its floor")

    def scores(self, query: Sequence[str]) -> np.ndarray:
        raise NotImplementedError("BM25.scores: the Okapi formula summed over the query's tokens")


def rank(scores: np.ndarray) -> np.ndarray:
    """Given: document ids by decreasing score, ties to the smaller id."""
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def rrf_scores(rankings: Sequence[Sequence[int]], n_docs: int, k: float = 60.0) -> np.ndarray:
    """Reciprocal rank fusion: score(d) = sum over rankings containing d of 1 / (k + rank of d), ranks from 1.

    Shapes:
        returns: (n_docs,) float64 (0 for documents in no ranking)
    """
    raise NotImplementedError("rrf_scores: 1 / (k + rank) summed over the rankings")


def min_max(scores: np.ndarray) -> np.ndarray:
    """(s - min) / (max - min); all zeros if every score is equal."""
    raise NotImplementedError("min_max: rescale to [0, 1]")


def weighted_scores(sparse: np.ndarray, dense: np.ndarray, alpha: float) -> np.ndarray:
    """alpha * min_max(dense) + (1 - alpha) * min_max(sparse).

    Raises:
        ValueError: if alpha is outside [0, 1].
    """
    raise NotImplementedError("weighted_scores: convex combination of normalised scores")


def hybrid_search(bm25: BM25, doc_vectors: np.ndarray, query: Sequence[str], query_vector: np.ndarray, k: int,
                  method: str = "rrf", alpha: float = 0.5, rrf_k: float = 60.0) -> np.ndarray:
    """Top-k document ids for a query with both a token list (for BM25) and a vector (dense score
    doc_vectors @ query_vector). method "rrf": rrf_scores of the two full rankings (rank() of each score
    vector) with k = rrf_k; method "weighted": weighted_scores(sparse, dense, alpha). Returns rank(fused)[:k].

    Raises:
        ValueError: for any other method.
    """
    raise NotImplementedError("hybrid_search: score both ways, fuse, rank")
