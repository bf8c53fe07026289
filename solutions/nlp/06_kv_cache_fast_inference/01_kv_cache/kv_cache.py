"""Reference solution for nlp-06-1."""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Given, complete: softmax(q kᵀ / sqrt(d_head)) v, where mask is True where a query may attend.

    Written with explicit matmuls, which FlopCounterMode counts (on CPU it does not see inside
    torch.nn.functional.scaled_dot_product_attention).

    Shapes:
        q: (B, H, T, d_head); k, v: (B, H, S, d_head); mask: bool, broadcastable to (B, H, T, S)
        returns: (B, H, T, d_head)
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


class KVCache:
    """The keys and values of every layer for the tokens processed so far.

    keys[layer] and values[layer] are None before the first update, then (B, H, S, d_head) tensors
    that grow along dim 2 (the sequence axis) as tokens are processed.
    """

    def __init__(self, n_layers: int) -> None:
        self.keys: list[torch.Tensor | None] = [None] * n_layers
        self.values: list[torch.Tensor | None] = [None] * n_layers

    def seq_len(self, layer: int = 0) -> int:
        """Given: how many positions this layer has cached (0 before the first update)."""
        k = self.keys[layer]
        return 0 if k is None else k.shape[2]

    def update(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.keys[layer] is None:
            self.keys[layer], self.values[layer] = k, v
        else:
            self.keys[layer] = torch.cat([self.keys[layer], k], dim=2)
            self.values[layer] = torch.cat([self.values[layer], v], dim=2)
        return self.keys[layer], self.values[layer]


class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention that can read and extend a KVCache. __init__ is given."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)     # [q | k | v] along the output features
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = (z.view(b, t, self.n_heads, self.d_head).transpose(1, 2) for z in self.qkv(x).split(d, dim=-1))
        past = 0 if cache is None else cache.seq_len(layer)
        if cache is not None:
            k, v = cache.update(layer, k, v)
        q_pos = torch.arange(past, past + t, device=x.device)
        k_pos = torch.arange(past + t, device=x.device)
        mask = k_pos[None, :] <= q_pos[:, None]                      # (T, S): keys up to the query itself
        out = attend(q, k, v, mask)
        return self.proj(out.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    """Given, complete: a pre-norm transformer block, x + attn(ln1(x)), then x + mlp(ln2(x))."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), cache, layer)
        return x + self.mlp(self.ln2(x))


class TinyDecoder(nn.Module):
    """A GPT-style decoder: token + learned position embeddings, pre-norm blocks, final norm, LM head.

    __init__ is given; forward is yours.
    """

    def __init__(self, vocab_size: int, d_model: int, n_heads: int, n_layers: int, max_len: int) -> None:
        super().__init__()
        self.max_len = max_len
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        past = 0 if cache is None else cache.seq_len(0)
        t = idx.shape[1]
        if past + t > self.max_len:
            raise ValueError(f"positions {past}..{past + t - 1} do not fit max_len={self.max_len}")
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(past, past + t, device=idx.device))
        for i, block in enumerate(self.blocks):
            x = block(x, cache, i)
        return self.lm_head(self.ln_f(x))


def generate(model: TinyDecoder, prompt: torch.Tensor, n_new: int,
             use_cache: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    tokens, logits = [], []
    with torch.no_grad():
        if use_cache:
            cache = KVCache(len(model.blocks))
            step_logits = model(prompt, cache)[:, -1]
        else:
            seq = prompt
            step_logits = model(seq)[:, -1]
        for i in range(n_new):
            nxt = step_logits.argmax(-1)
            tokens.append(nxt)
            logits.append(step_logits)
            if i == n_new - 1:
                break
            if use_cache:
                step_logits = model(nxt[:, None], cache)[:, -1]
            else:
                seq = torch.cat([seq, nxt[:, None]], dim=1)
                step_logits = model(seq)[:, -1]
    return torch.stack(tokens, dim=1), torch.stack(logits, dim=1)


def decode_flops(model: TinyDecoder, prompt: torch.Tensor, n_new: int, use_cache: bool = True) -> list[int]:
    flops = []
    cache = KVCache(len(model.blocks)) if use_cache else None
    seq = prompt
    with torch.no_grad():
        for i in range(n_new):
            step_input = seq if (i == 0 or not use_cache) else seq[:, -1:]
            with FlopCounterMode(display=False) as counter:
                step_logits = model(step_input, cache)[:, -1]
            flops.append(counter.get_total_flops())
            seq = torch.cat([seq, step_logits.argmax(-1)[:, None]], dim=1)
    return flops
