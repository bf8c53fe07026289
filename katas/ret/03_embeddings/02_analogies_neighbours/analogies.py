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


def nearest_neighbours(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k words most cosine-similar to each query word, the query word itself left out.

    Cosine similarity cos(x, y) = x . y / (|x| |y|); a zero vector has cosine 0 with every word.
    Best first; equal similarities come out in increasing word id.

    Shapes:
        emb: (V, d) float32 or float64; query_ids: (m,) int
        returns: (ids (m, k) int64, sims (m, k) in emb's dtype)

    Raises:
        ValueError: if k < 0 or k > V - 1.
    """
    raise NotImplementedError("nearest_neighbours: normalize the rows, score every word, drop the query, keep k")


def analogy_scores(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                   method: str = "add") -> np.ndarray:
    """The score of every word x as the answer to "a is to b as c is to x", one row per question.

    method "add" (3CosAdd): score(x) = cos(x, b) - cos(x, a) + cos(x, c).
    method "mul" (3CosMul): score(x) = s(x, b) * s(x, c) / (s(x, a) + EPS), with s = (cos + 1) / 2
        shifted into [0, 1] and EPS = 1e-3.
    The question's own words a, b and c score -inf. A zero vector has cosine 0 with every word.

    Shapes:
        emb: (V, d) float32 or float64; a, b, c: (m,) int word ids (one question per position)
        returns: (m, V) in emb's dtype

    Raises:
        ValueError: if method is not "add" or "mul".
    """
    raise NotImplementedError("analogy_scores: cosines of every word with a, b and c, combined; a, b, c at -inf")


def analogy(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, k: int = 1,
            method: str = "add") -> np.ndarray:
    """The k best answers of each question by analogy_scores, best first, never a, b or c.

    Equal scores come out in increasing word id.

    Shapes:
        emb: (V, d); a, b, c: (m,) int word ids
        returns: (m, k) int64 word ids

    Raises:
        ValueError: if method is not "add" or "mul", or k < 0 or k > V - 3.
    """
    raise NotImplementedError("analogy: rank analogy_scores, keep the k best")


def analogy_accuracy(emb: np.ndarray, vocab: tuple[str, ...] | list[str],
                     questions: list[tuple[str, str, str, str]], method: str = "add") -> tuple[float, int]:
    """Top-1 accuracy on analogy questions (a, b, c, d): is analogy(a, b, c)'s best answer d?

    A question with any of its four words missing from vocab is skipped (not counted wrong).

    Returns:
        (accuracy over the answered questions, number of answered questions)

    Raises:
        ValueError: if no question can be answered (every one has a word missing from vocab).
    """
    raise NotImplementedError("analogy_accuracy: map words to ids, skip out-of-vocabulary questions, call analogy")
