"""sys-05-2: PagedAttention, attention over a block-table KV cache.
Edit this file; `grader check sys-05-2` tests it."""
from __future__ import annotations

import math  # noqa: F401 - you will need it

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
        """Cache one more token (its key and value, each (n_heads, head_dim)) for seq_id; a new seq_id
        starts a sequence. When the token is the first of a new logical block (length % block_size ==
        0), take the lowest-numbered free block, remove it from free and append it to the sequence's
        block table; then write k and v at offset length % block_size of the sequence's last block.

        Raises:
            OutOfBlocks: if a new block is needed and none is free; the cache is then left unchanged.
        """
        raise NotImplementedError("append: maybe allocate a block, then write the slot")

    def free_sequence(self, seq_id: int) -> None:
        """Forget seq_id: its blocks go back to free (to be reused by any sequence; their old contents
        are not cleared), its table and length are removed.

        Raises:
            KeyError: if seq_id has no cached tokens.
        """
        raise NotImplementedError("free_sequence")

    def gather(self, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The sequence's keys and values in token order, read through its block table (a reused block
        may hold stale data past the sequence's length: leave it out).

        Shapes:
            returns: keys (length, n_heads, head_dim), values (length, n_heads, head_dim)
        """
        raise NotImplementedError("gather: index the blocks by the table, keep the first length tokens")


def paged_attention(q: torch.Tensor, cache: PagedKVCache, seq_id: int) -> torch.Tensor:
    """Decode-step attention of one query token over everything cached for seq_id, through the block
    table: softmax(q k^T / sqrt(head_dim)) v per head, in q's dtype.

    Shapes:
        q: (n_heads, head_dim); returns (n_heads, head_dim)
    """
    raise NotImplementedError("paged_attention")
