"""nlp-06-3: what a KV cache costs in memory, for short and long sequences. Edit this file;
`grader check nlp-06-3` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you may want math.ceil)
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
    """Bytes of the keys and values of seq_len positions: 2 · layers · kv_heads · d_head · seq_len · batch · bytes.

    n_kv_heads is the number of *key/value* heads (fewer than the query heads under GQA/MQA). The
    bytes per element come from the dtype (torch.float16 -> 2, torch.float32 -> 4, torch.int8 -> 1, ...).
    """
    raise NotImplementedError("kv_cache_bytes: the closed form, with the dtype's element size")


def held_bytes(tensors: Iterable[torch.Tensor]) -> int:
    """The memory the given tensors actually keep alive: each distinct storage counted once, in full.

    A view (a slice of a preallocated buffer, an expand, a transpose) holds its whole underlying
    storage, not just the elements it shows; two views of one storage hold it once. Use
    t.untyped_storage() (its nbytes() and, to recognise a storage you already counted, its data_ptr()).
    """
    raise NotImplementedError("held_bytes: sum the nbytes of the distinct underlying storages")


def max_seq_len(budget_bytes: int, n_layers: int, n_kv_heads: int, d_head: int, batch_size: int = 1,
                dtype: torch.dtype = torch.float16) -> int:
    """The longest sequence whose KV cache fits in budget_bytes (0 if not even one position fits)."""
    raise NotImplementedError("max_seq_len: budget // bytes per position")


def reserved_bytes(seq_lens: Sequence[int], bytes_per_token: int, policy: str, max_len: int | None = None,
                   block_size: int | None = None) -> int:
    """Bytes a serving system reserves for a batch of sequences with the given lengths.

    policy "exact": every sequence holds exactly its own tokens (the ideal).
    policy "contiguous": every sequence reserves max_len positions up front (a static cache);
        ValueError if max_len is None or smaller than some sequence.
    policy "paged": every sequence holds whole blocks of block_size positions (PagedAttention),
        ceil(length / block_size) of them; ValueError if block_size is None or < 1.
    Any other policy: ValueError.
    """
    raise NotImplementedError("reserved_bytes: tokens reserved under the policy, times bytes_per_token")


def profile_decode(cache: DynamicCache | StaticCache, n_layers: int, batch_size: int, n_kv_heads: int, d_head: int,
                   prompt_len: int, n_new: int, dtype: torch.dtype = torch.float16) -> list[int]:
    """Memory held by a cache while it serves a prefill and n_new decoding steps.

    Append, to every layer, K and V of shape (batch_size, n_kv_heads, prompt_len, d_head) (zeros of
    `dtype` will do: only their size matters), then n_new times K and V of one position. After the
    prefill and after each step record held_bytes(cache.tensors()).

    Returns:
        n_new + 1 ints: after the prefill, then after each decoding step
    """
    raise NotImplementedError("profile_decode: append, measure, repeat")
