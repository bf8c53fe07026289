"""Plausible wrong BM25 implementations that the tests must reject."""
from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bm25 import document_frequencies, okapi_idf


@pitfall(replaces="document_frequencies", why="counts occurrences (collection frequency) instead of documents")
def occurrences(docs: list[list[str]]) -> dict[str, int]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc)
    return dict(df)


@pitfall(replaces="okapi_idf", why="Lucene's idf ln(1 + (n - df + 0.5) / (df + 0.5)), not BM25Okapi's")
def lucene_idf(df: dict[str, int], n_docs: int, epsilon: float = 0.25) -> dict[str, float]:
    if not df:
        raise ValueError("empty")
    return {t: math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) for t, f in df.items()}


@pitfall(replaces="okapi_idf", why="clips negative idf to 0 instead of the epsilon * mean floor")
def clip_at_zero(df: dict[str, int], n_docs: int, epsilon: float = 0.25) -> dict[str, float]:
    if not df:
        raise ValueError("empty")
    return {t: max(math.log((n_docs - f + 0.5) / (f + 0.5)), 0.0) for t, f in df.items()}


@pitfall(replaces="okapi_idf", why="averages only the non-negative idf values for the floor")
def floor_from_positive(df: dict[str, int], n_docs: int, epsilon: float = 0.25) -> dict[str, float]:
    if not df:
        raise ValueError("empty")
    idf = {t: math.log((n_docs - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    pos = [v for v in idf.values() if v >= 0]
    floor = epsilon * (sum(pos) / len(pos) if pos else 0.0)
    return {t: (floor if v < 0 else v) for t, v in idf.items()}


@pitfall(replaces="bm25_scores", why="deduplicates the query: a repeated query word counts once")
def set_query(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
              epsilon: float = 0.25) -> np.ndarray:
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError("bad")
    lengths = np.array([len(d) for d in docs], dtype=np.float64)
    if lengths.sum() == 0:
        raise ValueError("empty")
    idf = okapi_idf(document_frequencies(docs), len(docs), epsilon)
    counts = [Counter(d) for d in docs]
    scores = np.zeros(len(docs))
    for q in set(query):
        if q in idf:
            f = np.array([c[q] for c in counts], dtype=np.float64)
            scores += idf[q] * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths / lengths.mean()))
    return scores


@pitfall(replaces="bm25_scores", why="normalizes by the raw length |d| instead of |d| / avgdl")
def no_avgdl(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
             epsilon: float = 0.25) -> np.ndarray:
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError("bad")
    lengths = np.array([len(d) for d in docs], dtype=np.float64)
    if lengths.sum() == 0:
        raise ValueError("empty")
    idf = okapi_idf(document_frequencies(docs), len(docs), epsilon)
    counts = [Counter(d) for d in docs]
    scores = np.zeros(len(docs))
    for q in query:
        if q in idf:
            f = np.array([c[q] for c in counts], dtype=np.float64)
            scores += idf[q] * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths))
    return scores


@pitfall(replaces="bm25_scores", why="length normalization weighted by (1 - b) and b swapped")
def b_swapped(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
              epsilon: float = 0.25) -> np.ndarray:
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError("bad")
    lengths = np.array([len(d) for d in docs], dtype=np.float64)
    if lengths.sum() == 0:
        raise ValueError("empty")
    idf = okapi_idf(document_frequencies(docs), len(docs), epsilon)
    counts = [Counter(d) for d in docs]
    scores = np.zeros(len(docs))
    for q in query:
        if q in idf:
            f = np.array([c[q] for c in counts], dtype=np.float64)
            scores += idf[q] * f * (k1 + 1) / (f + k1 * (b + (1 - b) * lengths / lengths.mean()))
    return scores


@pitfall(replaces="bm25_scores", why="avgdl over distinct tokens per document instead of all tokens")
def unique_lengths(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
                   epsilon: float = 0.25) -> np.ndarray:
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError("bad")
    lengths = np.array([len(set(d)) for d in docs], dtype=np.float64)
    if lengths.sum() == 0:
        raise ValueError("empty")
    idf = okapi_idf(document_frequencies(docs), len(docs), epsilon)
    counts = [Counter(d) for d in docs]
    scores = np.zeros(len(docs))
    for q in query:
        if q in idf:
            f = np.array([c[q] for c in counts], dtype=np.float64)
            scores += idf[q] * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths / lengths.mean()))
    return scores
