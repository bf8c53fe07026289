"""Reference solution for nlp-06-3."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import torch


class DynamicCache:
    """Given, complete: a cache that grows by concatenation (like Hugging Face's DynamicCache).

    append(layer, k, v) concatenates along dim 2; tensors() lists every cached K and V tensor.
    """

    def __init__(self, n_layers: int) -> None:
        self.keys: list[torch.Tensor | None] = [None] * n_layers
        self.values: list[torch.Tensor | None] = [None] * n_layers

    def append(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None:
        if self.keys[layer] is None:
            self.keys[layer], self.values[layer] = k.clone(), v.clone()
        else:
            self.keys[layer] = torch.cat([self.keys[layer], k], dim=2)
            self.values[layer] = torch.cat([self.values[layer], v], dim=2)

    def tensors(self) -> list[torch.Tensor]:
        return [t for pair in zip(self.keys, self.values, strict=True) for t in pair if t is not None]


class StaticCache:
    """Given, complete: one (B, H, max_len, d_head) buffer per layer for K and for V, allocated up front
    (like Hugging Face's StaticCache, which keeps shapes fixed for torch.compile / CUDA graphs).

    append(layer, k, v) writes in place; tensors() lists views of the filled part of each buffer.
    """

    def __init__(self, n_layers: int, batch_size: int, n_kv_heads: int, max_len: int, d_head: int,
                 dtype: torch.dtype = torch.float16) -> None:
        shape = (batch_size, n_kv_heads, max_len, d_head)
        self.k_buf = [torch.zeros(shape, dtype=dtype) for _ in range(n_layers)]
        self.v_buf = [torch.zeros(shape, dtype=dtype) for _ in range(n_layers)]
        self.length = [0] * n_layers

    def append(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None:
        start, end = self.length[layer], self.length[layer] + k.shape[2]
        if end > self.k_buf[layer].shape[2]:
            raise ValueError(f"StaticCache holds {self.k_buf[layer].shape[2]} positions, asked for {end}")
        self.k_buf[layer][:, :, start:end] = k
        self.v_buf[layer][:, :, start:end] = v
        self.length[layer] = end

    def tensors(self) -> list[torch.Tensor]:
        return [buf[layer][:, :, :self.length[layer]] for layer in range(len(self.k_buf))
                for buf in (self.k_buf, self.v_buf)]


def kv_cache_bytes(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch_size: int = 1,
                   dtype: torch.dtype = torch.float16) -> int:
    element = torch.empty((), dtype=dtype).element_size()
    return 2 * n_layers * n_kv_heads * d_head * seq_len * batch_size * element


def held_bytes(tensors: Iterable[torch.Tensor]) -> int:
    storages = {}
    for t in tensors:
        s = t.untyped_storage()
        storages[s.data_ptr()] = s.nbytes()
    return sum(storages.values())


def max_seq_len(budget_bytes: int, n_layers: int, n_kv_heads: int, d_head: int, batch_size: int = 1,
                dtype: torch.dtype = torch.float16) -> int:
    per_token = kv_cache_bytes(n_layers, n_kv_heads, d_head, 1, batch_size, dtype)
    return budget_bytes // per_token


def reserved_bytes(seq_lens: Sequence[int], bytes_per_token: int, policy: str, max_len: int | None = None,
                   block_size: int | None = None) -> int:
    if policy == "exact":
        tokens = sum(seq_lens)
    elif policy == "contiguous":
        if max_len is None or any(n > max_len for n in seq_lens):
            raise ValueError(f"contiguous needs max_len >= every sequence length, got {max_len=}")
        tokens = len(seq_lens) * max_len
    elif policy == "paged":
        if block_size is None or block_size < 1:
            raise ValueError(f"paged needs block_size >= 1, got {block_size=}")
        tokens = sum(math.ceil(n / block_size) * block_size for n in seq_lens)
    else:
        raise ValueError(f"policy must be 'exact', 'contiguous' or 'paged', not {policy!r}")
    return tokens * bytes_per_token


def profile_decode(cache: DynamicCache | StaticCache, n_layers: int, batch_size: int, n_kv_heads: int, d_head: int,
                   prompt_len: int, n_new: int, dtype: torch.dtype = torch.float16) -> list[int]:
    def step(t: int) -> None:
        for layer in range(n_layers):
            k = torch.zeros(batch_size, n_kv_heads, t, d_head, dtype=dtype)
            cache.append(layer, k, torch.zeros_like(k))

    step(prompt_len)
    profile = [held_bytes(cache.tensors())]
    for _ in range(n_new):
        step(1)
        profile.append(held_bytes(cache.tensors()))
    return profile
