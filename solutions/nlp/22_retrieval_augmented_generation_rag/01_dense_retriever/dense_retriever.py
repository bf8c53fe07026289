"""Reference solution for nlp-22-1."""
from __future__ import annotations

import faiss
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def make_corpus(n_topics: int, n_passages: int, n_queries: int, seed: int,
                words_per_topic: int = 8, length: int = 12) -> dict[str, np.ndarray]:
    """Given: a synthetic corpus where queries and passages share topics but not words.

    Passage words of topic t are ids t * words_per_topic + j; query words of topic t are the same ids shifted
    by n_topics * words_per_topic (a disjoint "query vocabulary"), so lexical overlap is zero and only a
    trained encoder can match them. Each text mixes 75 % topic words with 25 % shared noise words.
    Returns int64 arrays: passages (n_passages, length), passage_topic (n_passages,), queries (n_queries,
    length // 2), query_topic (n_queries,); vocab_size = 2 * n_topics * words_per_topic + 16.
    """
    rng = np.random.default_rng(seed)
    base = n_topics * words_per_topic
    noise0 = 2 * base

    def texts(topics: np.ndarray, n_words: int, offset: int) -> np.ndarray:
        topic_words = offset + topics[:, None] * words_per_topic + rng.integers(0, words_per_topic, (len(topics), n_words))
        noise = noise0 + rng.integers(0, 16, (len(topics), n_words))
        return np.where(rng.random((len(topics), n_words)) < 0.75, topic_words, noise)

    p_topic = rng.integers(0, n_topics, n_passages)
    q_topic = rng.integers(0, n_topics, n_queries)
    return {"passages": texts(p_topic, length, 0), "passage_topic": p_topic,
            "queries": texts(q_topic, length // 2, base), "query_topic": q_topic,
            "vocab_size": np.int64(noise0 + 16)}


class DualEncoder(nn.Module):
    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        self.q_embed = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.p_embed = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.q_proj = nn.Linear(dim, dim)
        self.p_proj = nn.Linear(dim, dim)

    def encode_queries(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.q_proj(self.q_embed(ids)), dim=-1)

    def encode_passages(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.p_proj(self.p_embed(ids)), dim=-1)


def in_batch_loss(q: torch.Tensor, p: torch.Tensor, temperature: float) -> torch.Tensor:
    scores = q @ p.T / temperature
    return F.cross_entropy(scores, torch.arange(len(q)))


def train_dual_encoder(queries: np.ndarray, passages: np.ndarray, vocab_size: int, dim: int, steps: int,
                       batch_size: int, seed: int, temperature: float = 0.05, lr: float = 0.01) -> DualEncoder:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = DualEncoder(vocab_size, dim)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    qs, ps = torch.as_tensor(queries), torch.as_tensor(passages)
    for _ in range(steps):
        idx = torch.randperm(len(qs), generator=gen)[:batch_size]
        loss = in_batch_loss(model.encode_queries(qs[idx]), model.encode_passages(ps[idx]), temperature)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


class VectorIndex:
    def __init__(self, dim: int) -> None:
        self.index = faiss.IndexIDMap(faiss.IndexFlatIP(dim))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        k = min(k, len(self))
        scores, ids = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, ids


def topic_recall_at_k(retrieved: np.ndarray, passage_topic: np.ndarray, query_topic: np.ndarray) -> float:
    hits = (passage_topic[retrieved] == query_topic[:, None]).any(axis=1)
    return float(hits.mean())
