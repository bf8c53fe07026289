"""nlp-06-2: a cache hit/miss visualizer for streams of requests. Edit this file;
`grader check nlp-06-2` tests it."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_hit_miss)
import numpy as np
from matplotlib.figure import Figure


class PrefixCache:
    """A block-level prefix cache with least-recently-used eviction (vLLM's automatic prefix caching).

    A request's tokens are cut into blocks of block_size; only full blocks are cached, each under
    the key tuple(tokens[:end of the block]) (the block *and everything before it*), because a
    block's keys and values depend on the whole prefix. `blocks` holds the cached keys, least
    recently used first; at most `capacity` of them (0 disables caching).
    """

    def __init__(self, block_size: int, capacity: int) -> None:
        if block_size < 1 or capacity < 0:
            raise ValueError(f"need block_size >= 1 and capacity >= 0, got {block_size=}, {capacity=}")
        self.block_size, self.capacity = block_size, capacity
        self.blocks: OrderedDict[tuple[int, ...], None] = OrderedDict()

    def process(self, tokens: Sequence[int]) -> np.ndarray:
        """Serve one request: report which of its tokens' K/V come from the cache, then cache its blocks.

        Walk the full blocks in order. While a block's key is cached, its tokens are hits and the
        key becomes the most recently used. From the first block that is not cached on, every
        token is a miss (its prefix had to be recomputed), even if a later key happens to be cached;
        each of those full blocks is then cached: a key already present just becomes the most
        recently used, a new key is inserted as the most recently used after evicting the least
        recently used key if the cache is full. With capacity 0 nothing is ever cached. The tokens
        of a trailing partial block are always misses and are never cached.

        Shapes:
            tokens: (L,) token ids
            returns: (L,) bool, True = hit
        """
        raise NotImplementedError("PrefixCache.process: look up the full blocks in order, then insert the misses (LRU)")


def hit_miss_matrix(requests: Sequence[Sequence[int]], block_size: int, capacity: int) -> np.ndarray:
    """Serve the requests in order through one fresh PrefixCache and stack the results.

    Shapes:
        returns: (n_requests, longest request) int8: 1 = hit, 0 = miss, -1 = past the end of a
                 shorter request (padding)
    """
    raise NotImplementedError("hit_miss_matrix: one PrefixCache, one row per request, -1 padding")


def hit_rate(matrix: np.ndarray) -> float:
    """Hits divided by real tokens (hits + misses) of a hit_miss_matrix; 0.0 if it holds no tokens."""
    raise NotImplementedError("hit_rate: ignore the padding")


def plot_hit_miss(matrix: np.ndarray, block_size: int, capacity: int) -> Figure:
    """Draw a hit_miss_matrix: one imshow of the matrix itself (requests as rows, positions as columns).

    x label "token position", y label "request", title
    f"prefix cache: block_size={block_size}, capacity={capacity} blocks, hit rate {hit_rate(matrix):.1%}".
    A colorbar (or legend) naming padding / miss / hit is welcome; it must not be another image.
    """
    raise NotImplementedError("plot_hit_miss: imshow the matrix, label it")
