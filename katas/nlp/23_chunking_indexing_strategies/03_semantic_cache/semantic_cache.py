"""nlp-23-3: a semantic cache for repeated queries. Edit this file;
`grader check nlp-23-3` tests it."""
from __future__ import annotations

from collections import OrderedDict  # noqa: F401
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class SemanticCache:
    """Serve a cached answer when a new query is close enough in meaning to a cached one.

    Entries are stored as unit vectors under increasing integer keys 0, 1, 2, ... (in insertion order) in
    `self.entries`, an OrderedDict key -> (unit vector, answer) kept in least-recently-used order (oldest
    first). `self.hits` and `self.misses` count answer() calls.

    lookup(embedding) -> (key, answer) | None: the entry with the highest cosine similarity to the
        embedding (ties: the smaller key); a hit if that similarity >= threshold, which makes the entry the
        most recently used; None otherwise (or when empty). Does not touch hits/misses.
    insert(embedding, answer): store a new entry, evicting the least recently used one first if the cache is
        full; with capacity 0, store nothing.
    answer(embedding, compute) -> answer: lookup; on a hit count a hit and return the cached answer; on a miss
        count a miss, call compute(), insert its result and return it.

    Raises:
        ValueError: unless -1 <= threshold <= 1 and capacity >= 0.
    """

    def __init__(self, threshold: float, capacity: int) -> None:
        raise NotImplementedError("SemanticCache.__init__: validate, empty OrderedDict, counters")

    def lookup(self, embedding: np.ndarray) -> tuple[int, Any] | None:
        raise NotImplementedError("SemanticCache.lookup: best cosine similarity, threshold, refresh")

    def insert(self, embedding: np.ndarray, answer: Any) -> None:
        raise NotImplementedError("SemanticCache.insert: LRU eviction, normalised vector")

    def answer(self, embedding: np.ndarray, compute: Callable[[], Any]) -> Any:
        raise NotImplementedError("SemanticCache.answer: hit or compute-and-insert")


def evaluate(embeddings: np.ndarray, intents: Sequence[int], thresholds: Sequence[float],
             capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Replay a stream of queries (embedding i has true intent intents[i]; computing it returns that intent)
    through a fresh SemanticCache(threshold, capacity) per threshold. Returns (hit rate, false-hit rate) arrays,
    one entry per threshold: hits / n and (answers served that differ from the query's intent) / n."""
    raise NotImplementedError("evaluate: one replay per threshold")
