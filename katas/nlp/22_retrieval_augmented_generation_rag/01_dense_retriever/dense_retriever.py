"""nlp-22-1: a DPR-style dense retriever with a FAISS vector index. Edit this file;
`grader check nlp-22-1` tests it."""
from __future__ import annotations

import faiss  # noqa: F401  (the vector index)
import numpy as np
import torch
import torch.nn.functional as F  # noqa: F401
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
    """Two separate towers (DPR): a query encoder and a passage encoder, each nn.EmbeddingBag(vocab_size, dim,
    mode="mean") followed by nn.Linear(dim, dim), outputs L2-normalised.

    encode_queries(ids) / encode_passages(ids): (n, length) int64 -> (n, dim) unit vectors.
    """

    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        raise NotImplementedError("DualEncoder.__init__: two EmbeddingBags and two Linears")

    def encode_queries(self, ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("encode_queries: bag of embeddings, projection, normalise")

    def encode_passages(self, ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("encode_passages: the passage tower")


def in_batch_loss(q: torch.Tensor, p: torch.Tensor, temperature: float) -> torch.Tensor:
    """DPR's in-batch negative loss: passage i is the positive of query i, every other passage in the batch a
    negative: mean_i -log softmax_j(q_i . p_j / temperature)[i].

    Shapes:
        q, p: (B, dim)
        returns: scalar
    """
    raise NotImplementedError("in_batch_loss: cross-entropy over the similarity matrix, targets on the diagonal")


def train_dual_encoder(queries: np.ndarray, passages: np.ndarray, vocab_size: int, dim: int, steps: int,
                       batch_size: int, seed: int, temperature: float = 0.05, lr: float = 0.01) -> DualEncoder:
    """Train a DualEncoder on (queries[i], passages[i]) pairs: `steps` Adam steps (lr) on in_batch_loss over
    random batches of batch_size pairs. All randomness (initialisation, batches) from `seed`: same seed, same
    model.
    """
    raise NotImplementedError("train_dual_encoder: seeded init, random batches, Adam on in_batch_loss")


class VectorIndex:
    """A vector database over faiss: exact maximum-inner-product search with external int64 ids
    (faiss.IndexIDMap around faiss.IndexFlatIP).

    add(ids, vectors): store float32 vectors (n, dim) under ids (n,).
    remove(ids) -> number removed.   len(index) -> number stored.
    search(queries (m, dim), k) -> (scores (m, k'), ids (m, k')), best first, k' = min(k, len(index)).
    Raises ValueError in search if k < 1.
    """

    def __init__(self, dim: int) -> None:
        raise NotImplementedError("VectorIndex.__init__: an IndexIDMap over an IndexFlatIP")

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        raise NotImplementedError("VectorIndex.add: add_with_ids (float32, contiguous)")

    def remove(self, ids: np.ndarray) -> int:
        raise NotImplementedError("VectorIndex.remove: remove_ids")

    def __len__(self) -> int:
        raise NotImplementedError("VectorIndex.__len__: ntotal")

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError("VectorIndex.search: never ask faiss for more than it holds")


def topic_recall_at_k(retrieved: np.ndarray, passage_topic: np.ndarray, query_topic: np.ndarray) -> float:
    """Fraction of queries with at least one retrieved passage of the query's topic.

    Shapes:
        retrieved: (n_queries, k) passage indices
    """
    raise NotImplementedError("topic_recall_at_k: any same-topic hit per row, averaged")
