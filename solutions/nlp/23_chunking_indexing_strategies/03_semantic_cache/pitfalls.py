"""Plausible wrong semantic caches that the tests must reject."""
from __future__ import annotations

from typing import Any

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="SemanticCache.lookup", why="strict > threshold: an exactly-equal similarity misses")
def strict_threshold(self, embedding: np.ndarray) -> tuple[int, Any] | None:  # noqa: ANN001
    if not self.entries:
        return None
    e = np.asarray(embedding, dtype=np.float64)
    e = e / np.linalg.norm(e)
    key = max(self.entries, key=lambda k: (float(self.entries[k][0] @ e), -k))
    if float(self.entries[key][0] @ e) > self.threshold:
        self.entries.move_to_end(key)
        return key, self.entries[key][1]
    return None


@pitfall(replaces="SemanticCache.lookup", why="a hit does not refresh recency (FIFO eviction, not LRU)")
def no_refresh(self, embedding: np.ndarray) -> tuple[int, Any] | None:  # noqa: ANN001
    if not self.entries:
        return None
    e = np.asarray(embedding, dtype=np.float64)
    e = e / np.linalg.norm(e)
    key = max(self.entries, key=lambda k: (float(self.entries[k][0] @ e), -k))
    if float(self.entries[key][0] @ e) >= self.threshold:
        return key, self.entries[key][1]
    return None


@pitfall(replaces="SemanticCache.lookup", why="dot product of unnormalised query and entry (not cosine)")
def raw_dot(self, embedding: np.ndarray) -> tuple[int, Any] | None:  # noqa: ANN001
    if not self.entries:
        return None
    e = np.asarray(embedding, dtype=np.float64)
    key = max(self.entries, key=lambda k: (float(self.entries[k][0] @ e), -k))
    if float(self.entries[key][0] @ e) >= self.threshold:
        self.entries.move_to_end(key)
        return key, self.entries[key][1]
    return None


@pitfall(replaces="SemanticCache.insert", why="evicts the most recently used entry when full")
def evicts_newest(self, embedding: np.ndarray, answer: Any) -> None:  # noqa: ANN001
    if self.capacity == 0:
        return
    if len(self.entries) >= self.capacity:
        self.entries.popitem(last=True)
    e = np.asarray(embedding, dtype=np.float64)
    self.entries[self._next] = (e / np.linalg.norm(e), answer)
    self._next += 1


@pitfall(replaces="SemanticCache.answer", why="counts a lookup hit but also inserts the query again")
def inserts_on_hit(self, embedding: np.ndarray, compute: Any) -> Any:  # noqa: ANN001
    found = self.lookup(embedding)
    if found is not None:
        self.hits += 1
        self.insert(embedding, found[1])
        return found[1]
    self.misses += 1
    result = compute()
    self.insert(embedding, result)
    return result
