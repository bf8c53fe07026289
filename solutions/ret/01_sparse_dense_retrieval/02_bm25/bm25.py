"""Reference solution for ret-01-2."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np


def document_frequencies(docs: list[list[str]]) -> dict[str, int]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    return dict(df)


def okapi_idf(df: dict[str, int], n_docs: int, epsilon: float = 0.25) -> dict[str, float]:
    if not df:
        raise ValueError("no term to weight: df is empty")
    idf = {t: math.log(n_docs - f + 0.5) - math.log(f + 0.5) for t, f in df.items()}
    floor = epsilon * sum(idf.values()) / len(idf)
    return {t: (floor if v < 0 else v) for t, v in idf.items()}


def bm25_scores(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75,
                epsilon: float = 0.25) -> np.ndarray:
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError(f"need k1 >= 0 and 0 <= b <= 1, got {k1=}, {b=}")
    idf = okapi_idf(document_frequencies(docs), len(docs), epsilon)  # raises when there is no token
    lengths = np.array([len(d) for d in docs])
    avgdl = lengths.mean()
    counts = [Counter(d) for d in docs]
    scores = np.zeros(len(docs))
    for q in query:
        if q not in idf:
            continue
        f = np.array([c[q] for c in counts])
        present = f > 0
        denom = f[present] + k1 * (1 - b + b * lengths[present] / avgdl)
        scores[present] += idf[q] * f[present] * (k1 + 1) / denom
    return scores
