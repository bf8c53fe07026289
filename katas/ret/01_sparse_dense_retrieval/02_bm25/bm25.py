"""ret-01-2: BM25 scoring. Edit this file; `grader check ret-01-2` tests it."""
from __future__ import annotations

import numpy as np


def document_frequencies(docs: list[list[str]]) -> dict[str, int]:
    """df[t] = the number of documents that contain token t at least once (every token of the corpus).

    Shapes:
        docs: n lists of tokens; returns: a dict token -> int >= 1
    """
    raise NotImplementedError("document_frequencies: count documents, not occurrences")


def okapi_idf(df: dict[str, int], n_docs: int, epsilon: float = 0.25) -> dict[str, float]:
    """The idf of rank-bm25's BM25Okapi, natural log:

        idf(t) = ln((n_docs - df[t] + 0.5) / (df[t] + 0.5))

    A term in more than half of the documents gets a negative value; every strictly negative idf
    is replaced by epsilon * (the mean of all the unfloored idf values). An idf of exactly 0 stays 0.

    Shapes:
        df: V tokens -> counts in 1..n_docs; returns: the same V tokens -> float

    Raises:
        ValueError: if df is empty.
    """
    raise NotImplementedError("okapi_idf: log ratio, then the epsilon floor for negative values")


def bm25_scores(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
                epsilon: float = 0.25) -> np.ndarray:
    """BM25 score of every document for a tokenized query:

        score(d) = sum over query tokens q of  idf(q) * f(q, d) * (k1 + 1)
                                               / (f(q, d) + k1 * (1 - b + b * |d| / avgdl))

    f(q, d) = occurrences of q in d, |d| = the length of d in tokens, avgdl = the mean length of the
    documents, idf = okapi_idf over these documents. A token repeated in the query counts once per
    occurrence. A document that does not contain q gets 0 from it, also where the formula reads
    0 / 0 (k1 = 0, or an empty document with b = 1); a query token absent from the corpus contributes 0.

    Shapes:
        query: a list of tokens (possibly empty); docs: n lists of tokens; returns: (n,), float64

    Raises:
        ValueError: if the documents contain no token at all, k1 < 0, or b is outside [0, 1].
    """
    raise NotImplementedError("bm25_scores: saturating term frequency, length normalization, idf")
