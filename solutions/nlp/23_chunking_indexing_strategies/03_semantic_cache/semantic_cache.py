"""Reference solution for nlp-23-3."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class SemanticCache:
    def __init__(self, threshold: float, capacity: int) -> None:
        if not -1.0 <= threshold <= 1.0 or capacity < 0:
            raise ValueError(f"need -1 <= threshold <= 1 and capacity >= 0, got {threshold=}, {capacity=}")
        self.threshold, self.capacity = threshold, capacity
        self.entries: OrderedDict[int, tuple[np.ndarray, Any]] = OrderedDict()
        self.hits = self.misses = 0
        self._next = 0

    def lookup(self, embedding: np.ndarray) -> tuple[int, Any] | None:
        if not self.entries:
            return None
        e = np.asarray(embedding, dtype=np.float64)
        e = e / np.linalg.norm(e)
        best_key, best_sim = None, -np.inf
        for key, (vec, _) in self.entries.items():
            sim = float(vec @ e)
            if sim > best_sim or (sim == best_sim and key < best_key):
                best_key, best_sim = key, sim
        if best_sim >= self.threshold:
            self.entries.move_to_end(best_key)
            return best_key, self.entries[best_key][1]
        return None

    def insert(self, embedding: np.ndarray, answer: Any) -> None:
        if self.capacity == 0:
            return
        if len(self.entries) >= self.capacity:
            self.entries.popitem(last=False)
        e = np.asarray(embedding, dtype=np.float64)
        self.entries[self._next] = (e / np.linalg.norm(e), answer)
        self._next += 1

    def answer(self, embedding: np.ndarray, compute: Callable[[], Any]) -> Any:
        found = self.lookup(embedding)
        if found is not None:
            self.hits += 1
            return found[1]
        self.misses += 1
        result = compute()
        self.insert(embedding, result)
        return result


def evaluate(embeddings: np.ndarray, intents: Sequence[int], thresholds: Sequence[float],
             capacity: int) -> tuple[np.ndarray, np.ndarray]:
    hit_rates, false_rates = [], []
    for t in thresholds:
        cache = SemanticCache(t, capacity)
        false_hits = 0
        for e, intent in zip(embeddings, intents, strict=True):
            served = cache.answer(e, lambda intent=intent: intent)
            false_hits += served != intent
        hit_rates.append(cache.hits / len(intents))
        false_rates.append(false_hits / len(intents))
    return np.array(hit_rates), np.array(false_rates)
