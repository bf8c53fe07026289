"""Reference solution for ret-01-1."""
from __future__ import annotations

import numpy as np


def build_vocabulary(docs: list[list[str]]) -> dict[str, int]:
    terms = sorted({tok for doc in docs for tok in doc})
    if not terms:
        raise ValueError("empty vocabulary: the documents contain no token")
    return {t: i for i, t in enumerate(terms)}


def count_matrix(docs: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    counts = np.zeros((len(docs), len(vocab)))
    for i, doc in enumerate(docs):
        for tok in doc:
            j = vocab.get(tok)
            if j is not None:
                counts[i, j] += 1
    return counts


def inverse_document_frequency(counts: np.ndarray, smooth_idf: bool = True) -> np.ndarray:
    n = counts.shape[0]
    df = np.count_nonzero(counts, axis=0)
    if smooth_idf:
        return np.log((1 + n) / (1 + df)) + 1
    if np.any(df == 0):
        raise ValueError("a term occurs in no document: its unsmoothed idf is infinite")
    return np.log(n / df) + 1


def tfidf_transform(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
                    norm: str | None = "l2") -> np.ndarray:
    if norm not in ("l2", "l1", None):
        raise ValueError(f"norm must be 'l2', 'l1' or None, got {norm!r}")
    tf = np.asarray(counts, dtype=np.float64).copy()
    if sublinear_tf:
        nz = tf > 0
        tf[nz] = 1 + np.log(tf[nz])
    x = tf * idf
    if norm is None:
        return x
    size = np.sqrt((x * x).sum(axis=1)) if norm == "l2" else np.abs(x).sum(axis=1)
    size[size == 0] = 1.0
    return x / size[:, None]
