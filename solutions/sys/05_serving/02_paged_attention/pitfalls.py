"""Plausible wrong versions of the paged KV cache that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from paged import OutOfBlocks, PagedKVCache


@pitfall(replaces="PagedKVCache.append", why="takes the most recently freed block (a stack) instead of the lowest id")
def lifo_allocation(self: PagedKVCache, seq_id: int, k: torch.Tensor, v: torch.Tensor) -> None:
    n = self.lengths.get(seq_id, 0)
    if n % self.block_size == 0:
        if not self.free:
            raise OutOfBlocks("full")
        self.tables.setdefault(seq_id, []).append(self.free.pop())
    block = self.tables[seq_id][n // self.block_size]
    self.k_blocks[block, n % self.block_size] = k
    self.v_blocks[block, n % self.block_size] = v
    self.lengths[seq_id] = n + 1


@pitfall(replaces="PagedKVCache.append", why="creates the block table before checking for a free block: a failed append leaves an empty sequence")
def table_before_check(self: PagedKVCache, seq_id: int, k: torch.Tensor, v: torch.Tensor) -> None:
    n = self.lengths.get(seq_id, 0)
    table = self.tables.setdefault(seq_id, [])
    if n % self.block_size == 0:
        if not self.free:
            raise OutOfBlocks("full")
        block = min(self.free)
        self.free.remove(block)
        table.append(block)
    block = table[n // self.block_size]
    self.k_blocks[block, n % self.block_size] = k
    self.v_blocks[block, n % self.block_size] = v
    self.lengths[seq_id] = n + 1


@pitfall(replaces="PagedKVCache.free_sequence", why="drops the table but never returns its blocks to the free list (a leak)")
def leaks_blocks(self: PagedKVCache, seq_id: int) -> None:
    if seq_id not in self.tables:
        raise KeyError(seq_id)
    del self.tables[seq_id]
    del self.lengths[seq_id]


@pitfall(replaces="PagedKVCache.gather", why="returns whole blocks: stale slots past the sequence's length are read too")
def whole_blocks(self: PagedKVCache, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    table = self.tables[seq_id]
    return (self.k_blocks[table].reshape(-1, *self.k_blocks.shape[2:]),
            self.v_blocks[table].reshape(-1, *self.v_blocks.shape[2:]))


@pitfall(replaces="PagedKVCache.gather", why="reads the physical blocks in id order instead of through the block table")
def blocks_in_id_order(self: PagedKVCache, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    table, n = sorted(self.tables[seq_id]), self.lengths[seq_id]
    return (self.k_blocks[table].reshape(-1, *self.k_blocks.shape[2:])[:n],
            self.v_blocks[table].reshape(-1, *self.v_blocks.shape[2:])[:n])


@pitfall(replaces="paged_attention", why="no 1/sqrt(head_dim) scale")
def unscaled(q: torch.Tensor, cache: PagedKVCache, seq_id: int) -> torch.Tensor:
    k, v = cache.gather(seq_id)
    return torch.einsum("ht,thd->hd", torch.softmax(torch.einsum("hd,thd->ht", q, k), dim=-1), v)
