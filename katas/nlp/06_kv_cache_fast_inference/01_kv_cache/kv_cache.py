"""nlp-06-1: record and reuse K/V states, and count what the cache saves. Edit this file;
`grader check nlp-06-1` tests it."""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode  # noqa: F401  (you will need it for decode_flops)


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
        """Append this step's keys and values to the layer's cache and return everything cached.

        Shapes:
            k, v: (B, H, T, d_head), the T new positions
            returns: (keys, values), each (B, H, S + T, d_head) with the S older positions first
        """
        raise NotImplementedError("KVCache.update: store on the first call, concatenate along dim 2 after")


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
        """Causal self-attention over the cached positions and the T new ones.

        Split self.qkv(x) into q, k, v (that order along the features), each viewed as
        (B, n_heads, T, d_head). Without a cache, attend causally within x. With a cache, the T new
        tokens sit at positions past .. past + T - 1, where past = cache.seq_len(layer) before
        this call: append k and v to the cache (KVCache.update) and let new query i attend to every
        key at position <= past + i. Use the given `attend`. Merge the heads and apply self.proj.

        Shapes:
            x: (B, T, d_model)
            returns: (B, T, d_model)
        """
        raise NotImplementedError("CausalSelfAttention.forward: project, update the cache, offset causal mask, attend")


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
        """Logits for every position of idx, continuing whatever the cache already holds.

        The tokens of idx sit at positions past .. past + T - 1 with past = cache.seq_len() (0
        without a cache): embed them with tok_emb plus pos_emb of those positions, run every block
        i as block(x, cache, i), then ln_f and lm_head.

        Shapes:
            idx: (B, T), dtype long
            returns: (B, T, vocab_size)

        Raises:
            ValueError: if past + T > max_len.
        """
        raise NotImplementedError("TinyDecoder.forward: embeddings at offset positions, blocks with the cache, head")


def generate(model: TinyDecoder, prompt: torch.Tensor, n_new: int,
             use_cache: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Greedy decoding of n_new tokens, with or without a KV cache (same result either way).

    Step i takes the logits at the last position, picks argmax as new token i, and records those
    logits. Without a cache every step runs the model on the whole sequence so far (prompt + new
    tokens). With a cache the first step runs the prompt through model(prompt, cache) (the
    "prefill") and every later step runs only the one newest token. No gradients are needed.

    Shapes:
        prompt: (B, P), dtype long, P + n_new - 1 <= model.max_len
        returns: (tokens (B, n_new) long, logits (B, n_new, vocab_size)); logits[:, i] produced tokens[:, i]
    """
    raise NotImplementedError("generate: greedy loop; prefill then one token per step when use_cache")


def decode_flops(model: TinyDecoder, prompt: torch.Tensor, n_new: int, use_cache: bool = True) -> list[int]:
    """The FLOPs of each of the n_new model calls that generate(model, prompt, n_new, use_cache) makes.

    Run the same greedy loop, wrapping each model call (and nothing else) in
    torch.utils.flop_counter.FlopCounterMode(display=False) and recording get_total_flops().
    Entry 0 is the first call (the whole prompt in both modes).

    Shapes:
        prompt: (B, P)
        returns: a list of n_new ints
    """
    raise NotImplementedError("decode_flops: the generation loop, one FlopCounterMode per model call")
