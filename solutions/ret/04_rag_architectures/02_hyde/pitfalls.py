"""Plausible wrong HyDE implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hyde import hyde_vector


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n == 0, 1, n)


@pitfall(replaces="hyde_vector", why="averages the raw embeddings: long documents dominate the mean")
def raw_mean(query: str, documents: list[str], embed: Callable, include_query: bool = True) -> np.ndarray:
    texts = ([query] if include_query else []) + list(documents)
    if not texts:
        raise ValueError("nothing")
    return np.asarray(embed(texts), dtype=np.float64).mean(axis=0)


@pitfall(replaces="hyde_vector", why="concatenates query and documents into one text and embeds that")
def concatenated(query: str, documents: list[str], embed: Callable, include_query: bool = True) -> np.ndarray:
    texts = ([query] if include_query else []) + list(documents)
    if not texts:
        raise ValueError("nothing")
    return _unit(np.asarray(embed([" ".join(texts)]), dtype=np.float64))[0]


@pitfall(replaces="hyde_vector", why="divides the sum by the number of documents, not counting the query")
def wrong_count(query: str, documents: list[str], embed: Callable, include_query: bool = True) -> np.ndarray:
    texts = ([query] if include_query else []) + list(documents)
    if not texts:
        raise ValueError("nothing")
    return _unit(np.asarray(embed(texts), dtype=np.float64)).sum(axis=0) / max(len(documents), 1)


@pitfall(replaces="hyde_vector", why="normalizes the mean to unit length: same ranking, but the scores change")
def normalized_mean(query: str, documents: list[str], embed: Callable, include_query: bool = True) -> np.ndarray:
    texts = ([query] if include_query else []) + list(documents)
    if not texts:
        raise ValueError("nothing")
    return _unit(_unit(np.asarray(embed(texts), dtype=np.float64)).mean(axis=0))


@pitfall(replaces="hyde_search", why="calls generate(query, 1) n times: n samples from the same seed, not n documents")
def one_at_a_time(query: str, generate: Callable, embed: Callable, corpus_vectors: np.ndarray, k: int, n: int = 4,
                  include_query: bool = True) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or n < 0:
        raise ValueError("k, n")
    documents = [generate(query, 1)[0] for _ in range(n)]
    scores = corpus_vectors @ hyde_vector(query, documents, embed, include_query)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]


@pitfall(replaces="hyde_search", why="trusts generate's output length: a short or long list goes unnoticed")
def unchecked_count(query: str, generate: Callable, embed: Callable, corpus_vectors: np.ndarray, k: int, n: int = 4,
                    include_query: bool = True) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or n < 0:
        raise ValueError("k, n")
    documents = generate(query, n) if n > 0 else []
    scores = corpus_vectors @ hyde_vector(query, documents, embed, include_query)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]


@pitfall(replaces="hyde_search", why="searches with the hypothetical documents only, dropping the query")
def documents_only(query: str, generate: Callable, embed: Callable, corpus_vectors: np.ndarray, k: int, n: int = 4,
                   include_query: bool = True) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or n < 0:
        raise ValueError("k, n")
    documents = generate(query, n) if n > 0 else []
    if len(documents) != n:
        raise ValueError("count")
    scores = corpus_vectors @ hyde_vector(query, documents, embed, include_query=not documents)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]
