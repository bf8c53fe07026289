"""Reference solution for nlp-06-2."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import matplotlib.pyplot as plt
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
        tokens = [int(t) for t in tokens]
        hits = np.zeros(len(tokens), dtype=bool)
        keys = [tuple(tokens[:end]) for end in range(self.block_size, len(tokens) + 1, self.block_size)]
        matching = True
        for j, key in enumerate(keys):
            if matching and key in self.blocks:
                hits[j * self.block_size:(j + 1) * self.block_size] = True
                self.blocks.move_to_end(key)
                continue
            matching = False
            if key in self.blocks:
                self.blocks.move_to_end(key)
            elif self.capacity > 0:
                if len(self.blocks) >= self.capacity:
                    self.blocks.popitem(last=False)
                self.blocks[key] = None
        return hits


def hit_miss_matrix(requests: Sequence[Sequence[int]], block_size: int, capacity: int) -> np.ndarray:
    cache = PrefixCache(block_size, capacity)
    width = max((len(r) for r in requests), default=0)
    out = np.full((len(requests), width), -1, dtype=np.int8)
    for i, request in enumerate(requests):
        out[i, :len(request)] = cache.process(request)
    return out


def hit_rate(matrix: np.ndarray) -> float:
    real = matrix >= 0
    return float((matrix == 1).sum() / real.sum()) if real.any() else 0.0


def plot_hit_miss(matrix: np.ndarray, block_size: int, capacity: int) -> Figure:
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(matrix) + 1.5))
    image = ax.imshow(matrix, aspect="auto", interpolation="nearest", cmap="RdYlGn", vmin=-1, vmax=1)
    ax.set_xlabel("token position")
    ax.set_ylabel("request")
    ax.set_title(f"prefix cache: block_size={block_size}, capacity={capacity} blocks, "
                 f"hit rate {hit_rate(matrix):.1%}")
    cbar = fig.colorbar(image, ax=ax, ticks=[-1, 0, 1])
    cbar.ax.set_yticklabels(["padding", "miss", "hit"])
    return fig
