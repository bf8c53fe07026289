"""ret-03-2: word analogies and nearest neighbours. Edit this file; `grader check ret-03-2` tests it."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from grader import lm

EPS = 1e-3   # 3CosMul's guard against division by zero (Levy & Goldberg 2014)


@lru_cache(maxsize=2)
def corpus_embeddings(vocab_size: int = 1000, dim: int = 48, window: int = 4) -> tuple[np.ndarray, tuple[str, ...]]:
    """Word vectors trained on the workbook's tiny-Shakespeare corpus (given, complete).

    The `vocab_size` most frequent lowercase words; symmetric co-occurrence counts within `window`
    words; positive PMI with context-distribution smoothing (counts ** 0.75, Levy, Goldberg & Dagan
    2015); a rank-`dim` randomized SVD (fixed seed), word vectors U * sqrt(S). Deterministic.
    Do not modify the returned array: it is cached.

    Returns:
        emb: (vocab_size, dim) float32; vocab: the words, most frequent first (row i is vocab[i]).
    """
    words = np.array(re.findall(r"[a-z]+", lm.corpus_text().lower()))
    uniq, inverse, counts = np.unique(words, return_inverse=True, return_counts=True)
    order = np.argsort(-counts, kind="stable")[:vocab_size]
    rank = np.full(len(uniq), -1)
    rank[order] = np.arange(len(order))
    ids = rank[inverse]
    v = len(order)
    x = np.zeros((v, v))
    for d in range(1, window + 1):
        a, b = ids[:-d], ids[d:]
        ok = (a >= 0) & (b >= 0)
        x += np.bincount(a[ok] * v + b[ok], minlength=v * v).reshape(v, v)
    x = x + x.T
    total = x.sum()
    p_context = x.sum(axis=0) ** 0.75
    p_context /= p_context.sum()
    with np.errstate(divide="ignore"):
        ppmi = np.maximum(np.log(x * total / (x.sum(axis=1)[:, None] * p_context[None, :] * total)), 0.0)
    rng = np.random.default_rng(0)
    q = np.linalg.qr(ppmi @ rng.standard_normal((v, dim + 16)))[0]
    for _ in range(3):
        q = np.linalg.qr(ppmi @ (ppmi.T @ q))[0]
    u, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    emb = (q @ u[:, :dim]) * np.sqrt(s[:dim])
    return emb.astype(np.float32), tuple(str(w) for w in uniq[order])


def _unit(emb: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    return emb / np.where(norms == 0, 1, norms)


def nearest_neighbours(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    v = emb.shape[0]
    if k < 0 or k >= v:
        raise ValueError(f"k={k} is out of range for {v} words (the query itself is left out)")
    unit = _unit(emb)
    query_ids = np.asarray(query_ids)
    sims = unit[query_ids] @ unit.T                                   # (m, V)
    key = -sims
    key[np.arange(len(query_ids)), query_ids] = np.inf                # the query itself goes last
    order = np.argsort(key, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(sims, order, axis=1)


def analogy_scores(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                   method: str = "add") -> np.ndarray:
    if method not in ("add", "mul"):
        raise ValueError(f"unknown method {method!r}")
    unit = _unit(emb)
    cos_a, cos_b, cos_c = unit[a] @ unit.T, unit[b] @ unit.T, unit[c] @ unit.T
    if method == "add":
        score = cos_b - cos_a + cos_c
    else:
        score = ((cos_b + 1) / 2) * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + EPS)
    rows = np.arange(len(a))
    for excluded in (a, b, c):
        score[rows, excluded] = -np.inf
    return score


def analogy(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, k: int = 1,
            method: str = "add") -> np.ndarray:
    v = emb.shape[0]
    if k < 0 or k + 3 > v:
        raise ValueError(f"k={k} is out of range for {v} words (a, b and c are left out)")
    score = analogy_scores(emb, a, b, c, method=method)
    return np.argsort(-score, axis=1, kind="stable")[:, :k]


def analogy_accuracy(emb: np.ndarray, vocab: tuple[str, ...] | list[str],
                     questions: list[tuple[str, str, str, str]], method: str = "add") -> tuple[float, int]:
    index = {w: i for i, w in enumerate(vocab)}
    covered = [q for q in questions if all(w in index for w in q)]
    if not covered:
        raise ValueError("no question has all four words in the vocabulary")
    a, b, c, d = (np.array([index[w] for w in words]) for words in zip(*covered, strict=True))
    best = analogy(emb, a, b, c, method=method).ravel()
    return float(np.mean(best == d)), len(covered)
