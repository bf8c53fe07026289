"""ret-04-2: HyDE query rewriting. Edit this file; `grader check ret-04-2` tests it."""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import numpy as np
import torch

from grader import lm


def embed_texts(texts: list[str], dim: int = 256) -> np.ndarray:
    """A small lexical embedding (given, complete): hashed bag of lowercase words, log(1 + count).

    Not normalized; a text without words embeds to the zero vector.

    Shapes:
        returns: (len(texts), dim) float32
    """
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z']+", text.lower()):
            out[row, zlib.crc32(word.encode()) % dim] += 1.0
    return np.log1p(out)


def char_lm_generator(model: torch.nn.Module, length: int = 48, temperature: float = 0.8,
                      seed: int = 0) -> Callable[[str, int], list[str]]:
    """generate(prompt, n) -> n continuations of prompt sampled from the workbook's char-level GPT (given).

    Each call draws from its own generator seeded with `seed`, so the same call gives the same texts.
    The prompt must use only the corpus's characters.
    """
    @torch.no_grad()
    def generate(prompt: str, n: int) -> list[str]:
        g = torch.Generator().manual_seed(seed)
        ids = lm.encode(prompt).repeat(n, 1)
        for _ in range(length):
            logits = model(ids[:, -lm.CONTEXT:])[:, -1].double() / temperature
            nxt = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=g)
            ids = torch.cat([ids, nxt], dim=1)
        return [lm.decode(row[len(prompt):]) for row in ids]
    return generate


def hyde_vector(query: str, documents: list[str], embed: Callable[[list[str]], np.ndarray],
                include_query: bool = True) -> np.ndarray:
    texts = ([query] if include_query else []) + list(documents)
    if not texts:
        raise ValueError("nothing to average: no documents and include_query is False")
    vectors = np.asarray(embed(texts), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).mean(axis=0)


def hyde_search(query: str, generate: Callable[[str, int], list[str]], embed: Callable[[list[str]], np.ndarray],
                corpus_vectors: np.ndarray, k: int, n: int = 4,
                include_query: bool = True) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or n < 0:
        raise ValueError(f"k and n must be >= 0, got k={k}, n={n}")
    documents = generate(query, n) if n > 0 else []
    if len(documents) != n:
        raise ValueError(f"generate returned {len(documents)} documents, expected {n}")
    scores = corpus_vectors @ hyde_vector(query, documents, embed, include_query)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]
