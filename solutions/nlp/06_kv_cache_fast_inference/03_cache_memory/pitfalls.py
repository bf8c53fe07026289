"""Plausible wrong memory accounting that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cache_memory import DynamicCache, StaticCache, held_bytes, kv_cache_bytes, reserved_bytes


@pitfall(replaces="kv_cache_bytes", why="counts the keys only: the cache stores K and V")
def keys_only(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch_size: int = 1,
              dtype: torch.dtype = torch.float16) -> int:
    return n_layers * n_kv_heads * d_head * seq_len * batch_size * torch.empty((), dtype=dtype).element_size()


@pitfall(replaces="kv_cache_bytes", why="assumes 4 bytes per element whatever the dtype")
def always_float32(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch_size: int = 1,
                   dtype: torch.dtype = torch.float16) -> int:
    return 2 * n_layers * n_kv_heads * d_head * seq_len * batch_size * 4


@pitfall(replaces="kv_cache_bytes", why="forgets the batch size")
def no_batch(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch_size: int = 1,
             dtype: torch.dtype = torch.float16) -> int:
    return 2 * n_layers * n_kv_heads * d_head * seq_len * torch.empty((), dtype=dtype).element_size()


@pitfall(replaces="held_bytes", why="sums t.nbytes: counts what each view shows, twice for shared storage")
def sums_nbytes(tensors: Iterable[torch.Tensor]) -> int:
    return sum(t.nbytes for t in tensors)


@pitfall(replaces="held_bytes", why="de-duplicates by tensor identity (id), not by underlying storage")
def dedupe_by_id(tensors: Iterable[torch.Tensor]) -> int:
    seen = {id(t): t.untyped_storage().nbytes() for t in tensors}
    return sum(seen.values())


@pitfall(replaces="max_seq_len", why="rounds up: the returned length no longer fits the budget")
def rounds_up(budget_bytes: int, n_layers: int, n_kv_heads: int, d_head: int, batch_size: int = 1,
              dtype: torch.dtype = torch.float16) -> int:
    per_token = kv_cache_bytes(n_layers, n_kv_heads, d_head, 1, batch_size, dtype)
    return -(-budget_bytes // per_token)


_reserved = reserved_bytes


@pitfall(replaces="reserved_bytes", why="paged: floor(len / block) blocks, dropping the partly filled last block")
def paged_floor(seq_lens: Sequence[int], bytes_per_token: int, policy: str, max_len: int | None = None,
                block_size: int | None = None) -> int:
    if policy == "paged" and block_size:
        return sum(n // block_size * block_size for n in seq_lens) * bytes_per_token
    return _reserved(seq_lens, bytes_per_token, policy, max_len, block_size)


@pitfall(replaces="reserved_bytes", why="contiguous: reserves the longest sequence in the batch, not max_len")
def contiguous_longest(seq_lens: Sequence[int], bytes_per_token: int, policy: str, max_len: int | None = None,
                       block_size: int | None = None) -> int:
    if policy == "contiguous" and max_len is not None and max(seq_lens) <= max_len:
        return len(seq_lens) * max(seq_lens) * bytes_per_token
    return _reserved(seq_lens, bytes_per_token, policy, max_len, block_size)


@pitfall(replaces="profile_decode", why="measures before each append: the profile lags one step and misses the prefill")
def profile_lags(cache: DynamicCache | StaticCache, n_layers: int, batch_size: int, n_kv_heads: int, d_head: int,
                 prompt_len: int, n_new: int, dtype: torch.dtype = torch.float16) -> list[int]:
    profile = []
    for t in [prompt_len] + [1] * n_new:
        profile.append(held_bytes(cache.tensors()))
        for layer in range(n_layers):
            k = torch.zeros(batch_size, n_kv_heads, t, d_head, dtype=dtype)
            cache.append(layer, k, torch.zeros_like(k))
    return profile


@pitfall(replaces="max_seq_len", why="requires the cache to stay strictly below the budget: a budget of exactly n positions gives n - 1")
def strictly_below_budget(budget_bytes: int, n_layers: int, n_kv_heads: int, d_head: int, batch_size: int = 1,
                          dtype: torch.dtype = torch.float16) -> int:
    per_token = kv_cache_bytes(n_layers, n_kv_heads, d_head, 1, batch_size, dtype)
    return max(0, (budget_bytes - 1) // per_token)
