"""Reference solution for sys-05-2."""
from __future__ import annotations

import math

import torch


class OutOfBlocks(Exception):  # noqa: N818 - the name says what happened
    """Given: raised by append when a sequence needs a new block and none is free."""


class PagedKVCache:
    """Given: the storage of a paged KV cache, and the bookkeeping that append and free_sequence keep.

    k_blocks, v_blocks: (num_blocks, block_size, n_heads, head_dim) physical blocks.
    tables[seq_id]: the sequence's block table, the physical block of its logical blocks 0, 1, ...
    lengths[seq_id]: how many tokens the sequence has cached.
    free: the ids of the free physical blocks (initially all of them).
    """

    def __init__(self, num_blocks: int, block_size: int, n_heads: int, head_dim: int,
                 dtype: torch.dtype = torch.float32) -> None:
        if min(num_blocks, block_size, n_heads, head_dim) < 1:
            raise ValueError("all sizes must be >= 1")
        self.block_size = block_size
        self.k_blocks = torch.zeros(num_blocks, block_size, n_heads, head_dim, dtype=dtype)
        self.v_blocks = torch.zeros(num_blocks, block_size, n_heads, head_dim, dtype=dtype)
        self.tables: dict[int, list[int]] = {}
        self.lengths: dict[int, int] = {}
        self.free: list[int] = list(range(num_blocks))

    def append(self, seq_id: int, k: torch.Tensor, v: torch.Tensor) -> None:
        n = self.lengths.get(seq_id, 0)
        if n % self.block_size == 0:
            if not self.free:
                raise OutOfBlocks(f"sequence {seq_id} needs a new block and none is free")
            block = min(self.free)
            self.free.remove(block)
            self.tables.setdefault(seq_id, []).append(block)
        block = self.tables[seq_id][n // self.block_size]
        self.k_blocks[block, n % self.block_size] = k
        self.v_blocks[block, n % self.block_size] = v
        self.lengths[seq_id] = n + 1

    def free_sequence(self, seq_id: int) -> None:
        if seq_id not in self.tables:
            raise KeyError(seq_id)
        self.free.extend(self.tables.pop(seq_id))
        del self.lengths[seq_id]

    def gather(self, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
        table, n = self.tables[seq_id], self.lengths[seq_id]
        k = self.k_blocks[table].reshape(-1, *self.k_blocks.shape[2:])[:n]
        v = self.v_blocks[table].reshape(-1, *self.v_blocks.shape[2:])[:n]
        return k, v


def paged_attention(q: torch.Tensor, cache: PagedKVCache, seq_id: int) -> torch.Tensor:
    k, v = cache.gather(seq_id)
    scores = torch.einsum("hd,thd->ht", q, k) / math.sqrt(q.shape[-1])
    return torch.einsum("ht,thd->hd", torch.softmax(scores, dim=-1), v)
