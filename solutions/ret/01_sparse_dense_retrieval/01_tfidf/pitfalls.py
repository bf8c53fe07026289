"""Plausible wrong TF-IDF implementations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="build_vocabulary", why="numbers tokens in order of first appearance, not sorted order")
def first_seen_order(docs: list[list[str]]) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for doc in docs:
        for tok in doc:
            vocab.setdefault(tok, len(vocab))
    if not vocab:
        raise ValueError("empty vocabulary")
    return vocab


@pitfall(replaces="count_matrix", why="binary presence instead of counts")
def presence_only(docs: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    counts = np.zeros((len(docs), len(vocab)))
    for i, doc in enumerate(docs):
        for tok in doc:
            if tok in vocab:
                counts[i, vocab[tok]] = 1
    return counts


@pitfall(replaces="inverse_document_frequency", why="textbook idf ln(n / df) without the + 1 and without smoothing")
def textbook_idf(counts: np.ndarray, smooth_idf: bool = True) -> np.ndarray:
    n = counts.shape[0]
    df = np.count_nonzero(counts, axis=0)
    if np.any(df == 0):
        raise ValueError("a term occurs in no document")
    return np.log(n / df)


@pitfall(replaces="inverse_document_frequency", why="document frequency summed over counts (collection frequency)")
def collection_frequency(counts: np.ndarray, smooth_idf: bool = True) -> np.ndarray:
    n = counts.shape[0]
    df = counts.sum(axis=0)
    if smooth_idf:
        return np.log((1 + n) / (1 + df)) + 1
    if np.any(df == 0):
        raise ValueError("a term occurs in no document")
    return np.log(n / df) + 1


@pitfall(replaces="tfidf_transform", why="sublinear tf as ln(count) without the + 1")
def sublinear_without_one(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
                          norm: str | None = "l2") -> np.ndarray:
    if norm not in ("l2", "l1", None):
        raise ValueError("bad norm")
    tf = np.asarray(counts, dtype=np.float64).copy()
    if sublinear_tf:
        nz = tf > 0
        tf[nz] = np.log(tf[nz])
    x = tf * idf
    if norm is None:
        return x
    size = np.sqrt((x * x).sum(axis=1)) if norm == "l2" else np.abs(x).sum(axis=1)
    size[size == 0] = 1.0
    return x / size[:, None]


@pitfall(replaces="tfidf_transform", why="normalizes the columns (each term over documents) instead of the rows")
def column_norm(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
                norm: str | None = "l2") -> np.ndarray:
    if norm not in ("l2", "l1", None):
        raise ValueError("bad norm")
    tf = np.asarray(counts, dtype=np.float64).copy()
    if sublinear_tf:
        nz = tf > 0
        tf[nz] = 1 + np.log(tf[nz])
    x = tf * idf
    if norm is None:
        return x
    size = np.sqrt((x * x).sum(axis=0)) if norm == "l2" else np.abs(x).sum(axis=0)
    size[size == 0] = 1.0
    return x / size[None, :]


@pitfall(replaces="tfidf_transform", why="applies sublinear tf in place: the caller's count matrix is overwritten")
def in_place_log(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
                 norm: str | None = "l2") -> np.ndarray:
    if norm not in ("l2", "l1", None):
        raise ValueError("bad norm")
    tf = counts
    if sublinear_tf:
        nz = tf > 0
        tf[nz] = 1 + np.log(tf[nz])
    x = tf * idf
    if norm is None:
        return x
    size = np.sqrt((x * x).sum(axis=1)) if norm == "l2" else np.abs(x).sum(axis=1)
    size[size == 0] = 1.0
    return x / size[:, None]


@pitfall(replaces="tfidf_transform", why="l2-normalizes a zero row by dividing by zero: NaNs")
def nan_rows(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
             norm: str | None = "l2") -> np.ndarray:
    if norm not in ("l2", "l1", None):
        raise ValueError("bad norm")
    tf = np.asarray(counts, dtype=np.float64).copy()
    if sublinear_tf:
        nz = tf > 0
        tf[nz] = 1 + np.log(tf[nz])
    x = tf * idf
    if norm is None:
        return x
    size = np.sqrt((x * x).sum(axis=1)) if norm == "l2" else np.abs(x).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / size[:, None]
