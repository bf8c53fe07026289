"""Plausible wrong versions of hybrid search that the tests must reject."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hybrid import BM25, min_max, rank, rrf_scores


@pitfall(replaces="BM25.__init__", why="idf without the floor: words in most documents get negative weight")
def no_floor(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,  # noqa: ANN001
             epsilon: float = 0.25) -> None:
    if not corpus:
        raise ValueError("empty")
    self.k1, self.b = k1, b
    self.tf = [Counter(doc) for doc in corpus]
    self.doc_len = np.array([len(doc) for doc in corpus], dtype=np.float64)
    self.avgdl = float(self.doc_len.mean())
    df = Counter(w for doc in self.tf for w in doc)
    self.idf = {w: math.log(len(corpus) - n + 0.5) - math.log(n + 0.5) for w, n in df.items()}


@pitfall(replaces="BM25.scores", why="no length normalisation (b ignored)")
def no_length_norm(self, query: Sequence[str]) -> np.ndarray:  # noqa: ANN001
    out = np.zeros(len(self.tf))
    for w in query:
        f = np.array([doc.get(w, 0) for doc in self.tf], dtype=np.float64)
        out += self.idf.get(w, 0.0) * f * (self.k1 + 1) / (f + self.k1)
    return out


@pitfall(replaces="rrf_scores", why="ranks counted from 0: the top document scores 1 / k")
def rank_from_zero(rankings: Sequence[Sequence[int]], n_docs: int, k: float = 60.0) -> np.ndarray:
    out = np.zeros(n_docs)
    for r in rankings:
        for pos, doc in enumerate(r):
            out[doc] += 1.0 / (k + pos) if k + pos else 1.0
    return out


@pitfall(replaces="min_max", why="divides by max only (no shift): negative dense scores stay negative")
def max_only(scores: np.ndarray) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float64)
    return s / s.max() if s.max() else np.zeros_like(s)


@pitfall(replaces="weighted_scores", why="mixes raw scores without normalising them")
def raw_mix(sparse: np.ndarray, dense: np.ndarray, alpha: float) -> np.ndarray:
    if not 0 <= alpha <= 1:
        raise ValueError("alpha")
    return alpha * np.asarray(dense) + (1 - alpha) * np.asarray(sparse)


@pitfall(replaces="hybrid_search", why="fuses only the top-k of each list in RRF (documents below k get nothing)")
def truncated_rrf(bm25: BM25, doc_vectors: np.ndarray, query: Sequence[str], query_vector: np.ndarray, k: int,
                  method: str = "rrf", alpha: float = 0.5, rrf_k: float = 60.0) -> np.ndarray:
    sparse, dense = bm25.scores(query), doc_vectors @ query_vector
    if method == "rrf":
        fused = rrf_scores([rank(sparse)[:k], rank(dense)[:k]], len(sparse), rrf_k)
    elif method == "weighted":
        fused = alpha * min_max(dense) + (1 - alpha) * min_max(sparse)
    else:
        raise ValueError(method)
    return rank(fused)[:k]


@pitfall(replaces="hybrid_search", why="alpha applied the wrong way round (alpha weights the sparse scores)")
def alpha_swapped(bm25: BM25, doc_vectors: np.ndarray, query: Sequence[str], query_vector: np.ndarray, k: int,
                  method: str = "rrf", alpha: float = 0.5, rrf_k: float = 60.0) -> np.ndarray:
    sparse, dense = bm25.scores(query), doc_vectors @ query_vector
    if method == "rrf":
        fused = rrf_scores([rank(sparse), rank(dense)], len(sparse), rrf_k)
    elif method == "weighted":
        fused = (1 - alpha) * min_max(dense) + alpha * min_max(sparse)
    else:
        raise ValueError(method)
    return rank(fused)[:k]
