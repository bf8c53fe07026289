"""Reference solution for nlp-22-2."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


class BM25:
    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        if not corpus:
            raise ValueError("the corpus is empty")
        self.k1, self.b = k1, b
        self.tf = [Counter(doc) for doc in corpus]
        self.doc_len = np.array([len(doc) for doc in corpus], dtype=np.float64)
        self.avgdl = float(self.doc_len.mean())
        n_docs = len(corpus)
        df = Counter(word for doc in self.tf for word in doc)
        self.idf = {w: math.log(n_docs - n + 0.5) - math.log(n + 0.5) for w, n in df.items()}
        floor = epsilon * sum(self.idf.values()) / len(self.idf)
        self.idf = {w: (floor if v < 0 else v) for w, v in self.idf.items()}

    def scores(self, query: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(self.tf))
        norm = self.k1 * (1 - self.b + self.b * self.doc_len / self.avgdl)
        for word in query:
            f = np.array([doc.get(word, 0) for doc in self.tf], dtype=np.float64)
            out += self.idf.get(word, 0.0) * f * (self.k1 + 1) / (f + norm)
        return out


def rank(scores: np.ndarray) -> np.ndarray:
    """Given: document ids by decreasing score, ties to the smaller id."""
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def rrf_scores(rankings: Sequence[Sequence[int]], n_docs: int, k: float = 60.0) -> np.ndarray:
    out = np.zeros(n_docs)
    for ranking in rankings:
        for position, doc in enumerate(ranking, start=1):
            out[doc] += 1.0 / (k + position)
    return out


def min_max(scores: np.ndarray) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float64)
    span = s.max() - s.min()
    return np.zeros_like(s) if span == 0 else (s - s.min()) / span


def weighted_scores(sparse: np.ndarray, dense: np.ndarray, alpha: float) -> np.ndarray:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    return alpha * min_max(dense) + (1 - alpha) * min_max(sparse)


def hybrid_search(bm25: BM25, doc_vectors: np.ndarray, query: Sequence[str], query_vector: np.ndarray, k: int,
                  method: str = "rrf", alpha: float = 0.5, rrf_k: float = 60.0) -> np.ndarray:
    sparse = bm25.scores(query)
    dense = doc_vectors @ query_vector
    if method == "rrf":
        fused = rrf_scores([rank(sparse), rank(dense)], len(sparse), rrf_k)
    elif method == "weighted":
        fused = weighted_scores(sparse, dense, alpha)
    else:
        raise ValueError(f"method must be 'rrf' or 'weighted', got {method!r}")
    return rank(fused)[:k]
