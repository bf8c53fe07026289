"""Plausible wrong prefix caches that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from prefix_cache import PrefixCache


def _serve(cache: PrefixCache, tokens: Sequence[int], key_of: Callable[[list[int], int], tuple], refresh: bool = True, stop_at_miss: bool = True,
           partial: bool = False, room: int = 0) -> np.ndarray:
    tokens = [int(t) for t in tokens]
    b = cache.block_size
    ends = list(range(b, len(tokens) + 1, b))
    if partial and len(tokens) % b:
        ends.append(len(tokens))
    hits = np.zeros(len(tokens), dtype=bool)
    present = [key_of(tokens, end) in cache.blocks for end in ends]
    matching = True
    for end, was_present in zip(ends, present, strict=True):
        key = key_of(tokens, end)
        start = (end - 1) // b * b
        matching = (matching or not stop_at_miss) and was_present
        if matching:
            hits[start:end] = True
        if key in cache.blocks:
            if refresh:
                cache.blocks.move_to_end(key)
        elif cache.capacity > 0:
            if len(cache.blocks) >= cache.capacity - room:
                while len(cache.blocks) >= cache.capacity - room and cache.blocks:
                    cache.blocks.popitem(last=False)
            cache.blocks[key] = None
    return hits


def _prefix_key(tokens: list[int], end: int) -> tuple[int, ...]:
    return tuple(tokens[:end])


@pitfall(replaces="PrefixCache.process", why="keys a block by its own tokens only, ignoring the prefix before it")
def key_without_prefix(self: PrefixCache, tokens: Sequence[int]) -> np.ndarray:
    return _serve(self, tokens, lambda t, end: tuple(t[(end - 1) // self.block_size * self.block_size:end]))


@pitfall(replaces="PrefixCache.process", why="a hit does not refresh recency: FIFO eviction instead of LRU")
def fifo_eviction(self: PrefixCache, tokens: Sequence[int]) -> np.ndarray:
    return _serve(self, tokens, _prefix_key, refresh=False)


@pitfall(replaces="PrefixCache.process", why="looks every block up independently: a cached block after a miss counts as a hit")
def hits_after_first_miss(self: PrefixCache, tokens: Sequence[int]) -> np.ndarray:
    return _serve(self, tokens, _prefix_key, stop_at_miss=False)


@pitfall(replaces="PrefixCache.process", why="caches the trailing partial block too, so repeated requests hit their last tokens")
def caches_partial_block(self: PrefixCache, tokens: Sequence[int]) -> np.ndarray:
    return _serve(self, tokens, _prefix_key, partial=True)


@pitfall(replaces="PrefixCache.process", why="evicts one block too early: holds at most capacity - 1 blocks")
def capacity_off_by_one(self: PrefixCache, tokens: Sequence[int]) -> np.ndarray:
    return _serve(self, tokens, _prefix_key, room=1)


@pitfall(replaces="hit_rate", why="counts the -1 padding as tokens (misses)")
def hit_rate_counts_padding(matrix: np.ndarray) -> float:
    return float((matrix == 1).sum() / matrix.size) if matrix.size else 0.0


@pitfall(replaces="hit_miss_matrix", why="np.full(shape, -1) without dtype=np.int8: an int64 matrix")
def int64_matrix(requests: Sequence[Sequence[int]], block_size: int, capacity: int) -> np.ndarray:
    cache = PrefixCache(block_size, capacity)
    out = np.full((len(requests), max((len(r) for r in requests), default=0)), -1)
    for i, request in enumerate(requests):
        out[i, :len(request)] = cache.process(request)
    return out
