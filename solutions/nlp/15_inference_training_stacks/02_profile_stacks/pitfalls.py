"""Plausible wrong serving paths and caches that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from profile_stacks import PagedKVCache, StaticKVCache, forward_with_cache, lm


@pitfall(replaces="generate_eager", why="feeds only the newest token each step with no cache: the model forgets the prefix")
@torch.no_grad()
def eager_without_prefix(model: lm.CharGPT, prompt: torch.Tensor, n_new: int) -> torch.Tensor:
    ids = prompt.clone()
    for _ in range(n_new):
        nxt = model(ids[:, -1:])[:, -1].argmax(dim=-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


@pitfall(replaces="StaticKVCache.nbytes", why="counts the key buffer only: the values take as much again")
def static_keys_only(self: StaticKVCache) -> int:
    return self.k.nbytes


@pitfall(replaces="StaticKVCache.write", why="writes at positions 0 .. T - 1 every time: each decode step overwrites slot 0")
def static_writes_at_zero(self: StaticKVCache, layer: int, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
    if start + k.shape[-2] > self.max_len:
        raise ValueError("full")
    self.k[layer, :, :, :k.shape[-2]] = k
    self.v[layer, :, :, :k.shape[-2]] = v


@pitfall(replaces="PagedKVCache.write", why="takes ceil(T / block_size) fresh blocks on every write, ignoring the room left in the last one")
def paged_fresh_blocks_per_write(self: PagedKVCache, layer: int, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
    end = start + k.shape[-2]
    if layer == 0:
        for table in self.block_tables:
            for _ in range(-(-(end - start) // self.block_size)):
                if not self.free:
                    raise RuntimeError("exhausted")
                table.append(self.free.pop(0))
    pos = torch.arange(start, end)
    table = torch.tensor([t[:len(t)] for t in self.block_tables])
    blocks = table[:, (pos // self.block_size).clamp(max=table.shape[1] - 1)]
    offsets = (pos % self.block_size).expand(len(self.block_tables), -1)
    self.k_pool[layer, blocks, :, offsets] = k.permute(0, 2, 1, 3)
    self.v_pool[layer, blocks, :, offsets] = v.permute(0, 2, 1, 3)


@pitfall(replaces="PagedKVCache.write", why="hands the blocks out round robin, one per sequence at a time (a different table)")
def paged_round_robin(self: PagedKVCache, layer: int, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
    end = start + k.shape[-2]
    if layer == 0:
        while any(len(t) * self.block_size < end for t in self.block_tables):
            for table in self.block_tables:
                if len(table) * self.block_size < end:
                    if not self.free:
                        raise RuntimeError("exhausted")
                    table.append(self.free.pop(0))
    blocks, offsets = self._slots(start, end)
    self.k_pool[layer, blocks, :, offsets] = k.permute(0, 2, 1, 3)
    self.v_pool[layer, blocks, :, offsets] = v.permute(0, 2, 1, 3)


@pitfall(replaces="PagedKVCache.nbytes_in_use", why="counts the whole pool, allocated or not (that is the static cache's cost)")
def paged_counts_pool(self: PagedKVCache) -> int:
    return self.k_pool.nbytes + self.v_pool.nbytes


@pitfall(replaces="PagedKVCache.read", why="reads positions in block-table order but forgets the offset inside the block")
def paged_read_without_offset(self: PagedKVCache, layer: int, end: int) -> tuple[torch.Tensor, torch.Tensor]:
    pos = torch.arange(end)
    table = torch.tensor(self.block_tables)
    blocks = table[:, pos // self.block_size]
    k = self.k_pool[layer, blocks, :, 0]
    v = self.v_pool[layer, blocks, :, 0]
    return k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)


@pitfall(replaces="generate_cached", why="decodes each new token at position 0: the rotary angles restart every step")
@torch.no_grad()
def decode_at_position_zero(model: lm.CharGPT, prompt: torch.Tensor, n_new: int, cache: object) -> torch.Tensor:
    ids = prompt.clone()
    if n_new == 0:
        return ids
    logits = forward_with_cache(model, prompt, 0, cache)
    for _ in range(n_new):
        nxt = logits[:, -1].argmax(dim=-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        if ids.shape[1] == prompt.shape[1] + n_new:
            break
        logits = _decode_at(model, nxt, ids.shape[1] - 1, cache)
    return ids


def _decode_at(model: lm.CharGPT, ids: torch.Tensor, start: int, cache: object) -> torch.Tensor:
    """forward_with_cache, but the rotary position of the new token is 0 (the cache slot is right)."""
    x = model.embed(ids)
    for layer, block in enumerate(model.blocks):
        q, k, v = block.attn.split_heads(block.ln1(x), torch.zeros(1, dtype=torch.long))
        cache.write(layer, k, v, start)
        k_all, v_all = cache.read(layer, start + 1)
        x = x + block.attn.merge_heads(torch.nn.functional.scaled_dot_product_attention(q, k_all, v_all))
        x = x + block.mlp(block.ln2(x))
    return model.head(model.ln_f(x))


@pitfall(replaces="generate_cached", why="re-feeds the whole sequence through the cache every step (no saving, and wrong slots)")
@torch.no_grad()
def refeeds_everything(model: lm.CharGPT, prompt: torch.Tensor, n_new: int, cache: object) -> torch.Tensor:
    ids = prompt.clone()
    for _ in range(n_new):
        logits = forward_with_cache(model, ids, 0, cache)
        ids = torch.cat([ids, logits[:, -1].argmax(dim=-1, keepdim=True)], dim=1)
    return ids


@pitfall(replaces="quantize_int8", why="quantizes in place: the float model is gone")
def quantize_in_place(model: nn.Module) -> nn.Module:
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8, inplace=True)


@pitfall(replaces="quantize_int8", why="casts the weights to float16 instead of quantizing them")
def half_not_int8(model: nn.Module) -> nn.Module:
    import copy
    return copy.deepcopy(model).half().float()
