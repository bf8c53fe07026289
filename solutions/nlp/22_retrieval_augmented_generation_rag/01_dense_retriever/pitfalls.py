"""Plausible wrong versions of the dense retriever that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import faiss
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dense_retriever import DualEncoder


@pitfall(replaces="in_batch_loss", why="forgets the temperature")
def no_temperature(q: torch.Tensor, p: torch.Tensor, temperature: float) -> torch.Tensor:
    return F.cross_entropy(q @ p.T, torch.arange(len(q)))


@pitfall(replaces="in_batch_loss", why="binary loss on the positives only (no negatives): -log sigmoid(q_i . p_i / T)")
def no_negatives(q: torch.Tensor, p: torch.Tensor, temperature: float) -> torch.Tensor:
    return -F.logsigmoid((q * p).sum(-1) / temperature).mean()


@pitfall(replaces="DualEncoder", why="one shared tower for queries and passages")
class SharedTower(nn.Module):
    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        self.embed = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.proj = nn.Linear(dim, dim)

    def encode_queries(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(self.embed(ids)), dim=-1)

    def encode_passages(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(self.embed(ids)), dim=-1)


@pitfall(replaces="train_dual_encoder", why="batches drawn from the global torch RNG, not the seed")
def global_rng(queries: np.ndarray, passages: np.ndarray, vocab_size: int, dim: int, steps: int, batch_size: int,
               seed: int, temperature: float = 0.05, lr: float = 0.01) -> DualEncoder:
    model = DualEncoder(vocab_size, dim)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    qs, ps = torch.as_tensor(queries), torch.as_tensor(passages)
    for _ in range(steps):
        idx = torch.randperm(len(qs))[:batch_size]
        loss = F.cross_entropy(model.encode_queries(qs[idx]) @ model.encode_passages(ps[idx]).T / temperature,
                               torch.arange(len(idx)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@pitfall(replaces="VectorIndex", why="L2 index (IndexFlatL2): returns squared distances, smallest first")
class L2Index:
    def __init__(self, dim: int) -> None:
        self.index = faiss.IndexIDMap(faiss.IndexFlatL2(dim))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError("k")
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(self)))


@pitfall(replaces="VectorIndex.search", why="asks faiss for k neighbours even when it holds fewer (ids padded with -1)")
def unclipped(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    if k < 1:
        raise ValueError("k")
    return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


@pitfall(replaces="topic_recall_at_k", why="looks at the first retrieved passage only")
def first_only(retrieved: np.ndarray, passage_topic: np.ndarray, query_topic: np.ndarray) -> float:
    return float((passage_topic[retrieved[:, 0]] == query_topic).mean())
