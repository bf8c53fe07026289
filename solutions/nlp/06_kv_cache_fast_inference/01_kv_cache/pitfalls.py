"""Plausible wrong KV-cache code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch.utils.flop_counter import FlopCounterMode

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from kv_cache import CausalSelfAttention, KVCache, TinyDecoder, attend


@pitfall(replaces="KVCache.update", why="overwrites the layer's entry with the new K/V instead of appending")
def update_overwrites(self: KVCache, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    self.keys[layer], self.values[layer] = k, v
    return k, v


@pitfall(replaces="KVCache.update", why="concatenates along dim 1 (the heads) instead of dim 2 (the positions)")
def update_wrong_axis(self: KVCache, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if self.keys[layer] is None:
        self.keys[layer], self.values[layer] = k, v
    else:
        self.keys[layer] = torch.cat([self.keys[layer], k], dim=1)
        self.values[layer] = torch.cat([self.values[layer], v], dim=1)
    return self.keys[layer], self.values[layer]


@pitfall(replaces="CausalSelfAttention.forward", why="causal mask tril(T, S) without the offset: new queries see only the oldest keys")
def mask_without_offset(self: CausalSelfAttention, x: torch.Tensor, cache: KVCache | None = None,
                        layer: int = 0) -> torch.Tensor:
    b, t, d = x.shape
    q, k, v = (z.view(b, t, self.n_heads, self.d_head).transpose(1, 2) for z in self.qkv(x).split(d, dim=-1))
    if cache is not None:
        k, v = cache.update(layer, k, v)
    mask = torch.ones(t, k.shape[2], dtype=torch.bool).tril()
    return self.proj(attend(q, k, v, mask).transpose(1, 2).reshape(b, t, d))


@pitfall(replaces="CausalSelfAttention.forward", why="no mask when a cache is used: a multi-token chunk sees its own future")
def no_mask_with_cache(self: CausalSelfAttention, x: torch.Tensor, cache: KVCache | None = None,
                       layer: int = 0) -> torch.Tensor:
    b, t, d = x.shape
    q, k, v = (z.view(b, t, self.n_heads, self.d_head).transpose(1, 2) for z in self.qkv(x).split(d, dim=-1))
    if cache is not None:
        k, v = cache.update(layer, k, v)
        mask = torch.ones(t, k.shape[2], dtype=torch.bool)
    else:
        mask = torch.ones(t, t, dtype=torch.bool).tril()
    return self.proj(attend(q, k, v, mask).transpose(1, 2).reshape(b, t, d))


@pitfall(replaces="TinyDecoder.forward", why="position embeddings restart at 0 for every call instead of continuing at the cache length")
def positions_restart(self: TinyDecoder, idx: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
    t = idx.shape[1]
    past = 0 if cache is None else cache.seq_len(0)
    if past + t > self.max_len:
        raise ValueError("too long")
    x = self.tok_emb(idx) + self.pos_emb(torch.arange(t))
    for i, block in enumerate(self.blocks):
        x = block(x, cache, i)
    return self.lm_head(self.ln_f(x))


@pitfall(replaces="generate", why="with the cache, still feeds the whole sequence every step (positions cached twice)")
def generate_refeeds_everything(model: TinyDecoder, prompt: torch.Tensor, n_new: int,
                                use_cache: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    cache = KVCache(len(model.blocks)) if use_cache else None
    seq, tokens, logits = prompt, [], []
    with torch.no_grad():
        for _ in range(n_new):
            try:
                step_logits = model(seq, cache)[:, -1]
            except ValueError:
                step_logits = model(seq)[:, -1]
            tokens.append(step_logits.argmax(-1))
            logits.append(step_logits)
            seq = torch.cat([seq, tokens[-1][:, None]], dim=1)
    return torch.stack(tokens, 1), torch.stack(logits, 1)


@pitfall(replaces="decode_flops", why="the 'cached' path rebuilds the cache from the whole sequence every step")
def flops_cache_rebuilt_each_step(model: TinyDecoder, prompt: torch.Tensor, n_new: int,
                                  use_cache: bool = True) -> list[int]:
    flops, seq = [], prompt
    with torch.no_grad():
        for _ in range(n_new):
            with FlopCounterMode(display=False) as counter:
                step_logits = model(seq, KVCache(len(model.blocks)) if use_cache else None)[:, -1]
            flops.append(counter.get_total_flops())
            seq = torch.cat([seq, step_logits.argmax(-1)[:, None]], dim=1)
    return flops


@pitfall(replaces="decode_flops", why="one FlopCounterMode around the whole loop: running totals, not per-step counts")
def flops_running_total(model: TinyDecoder, prompt: torch.Tensor, n_new: int, use_cache: bool = True) -> list[int]:
    flops = []
    cache = KVCache(len(model.blocks)) if use_cache else None
    seq = prompt
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        for i in range(n_new):
            step_logits = model(seq if (i == 0 or not use_cache) else seq[:, -1:], cache)[:, -1]
            flops.append(counter.get_total_flops())
            seq = torch.cat([seq, step_logits.argmax(-1)[:, None]], dim=1)
    return flops


@pitfall(replaces="TinyDecoder.forward", why="checks the length only when a cache is given: too long a prompt fails deep in the embedding")
def checks_only_with_cache(self: TinyDecoder, idx: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
    past = 0 if cache is None else cache.seq_len(0)
    t = idx.shape[1]
    if cache is not None and past + t > self.max_len:
        raise ValueError("too long")
    x = self.tok_emb(idx) + self.pos_emb(torch.arange(past, past + t, device=idx.device))
    for i, block in enumerate(self.blocks):
        x = block(x, cache, i)
    return self.lm_head(self.ln_f(x))
