"""nlp-15-2: serve the workbook LM three ways and measure them. Edit this file; `grader check nlp-15-2` tests it."""
from __future__ import annotations

import copy  # noqa: F401  (copy.deepcopy, for quantize_int8)

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm


def workbook_lm() -> lm.CharGPT:
    """Given, complete: the workbook's trained character-level GPT (grader/lm.py), float32, eval mode.

    4 layers, 4 heads of 20 dims, rotary positions. Cached and shared: do not modify it (deep-copy).
    """
    return lm.load_model()


def prompt_batch(batch: int, length: int, start: int = 0) -> torch.Tensor:
    """Given, complete: `batch` prompts of `length` characters of held-out text, (batch, length) int64."""
    val = lm.corpus_splits()[1]
    return torch.stack([val[start + 1000 * i: start + 1000 * i + length] for i in range(batch)])


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Given, complete: causal attention of the last q.shape[-2] positions over all k.shape[-2] keys.

    q (B, H, T, hd) holds positions S - T .. S - 1 of a sequence whose keys and values k, v (B, H, S, hd)
    hold positions 0 .. S - 1; query i may attend keys 0 .. S - T + i. Returns (B, H, T, hd).
    """
    t, s = q.shape[-2], k.shape[-2]
    allowed = torch.ones(t, s, dtype=torch.bool).tril(diagonal=s - t)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)


def block_forward(block: nn.Module, x: torch.Tensor, positions: torch.Tensor, cache: object, layer: int) -> torch.Tensor:
    """Given, complete: one CharGPT block over new tokens x (B, T, D) at `positions` (T,), using a KV cache.

    Computes the new tokens' rotated q, k, v, stores k and v with cache.write(layer, k, v, start),
    reads the whole past with cache.read(layer, end) and attends; then the residuals and the MLP.
    """
    start, end = int(positions[0]), int(positions[-1]) + 1
    q, k, v = block.attn.split_heads(block.ln1(x), positions)
    cache.write(layer, k, v, start)
    k_all, v_all = cache.read(layer, end)
    x = x + block.attn.merge_heads(attend(q, k_all, v_all))
    return x + block.mlp(block.ln2(x))


def forward_with_cache(model: lm.CharGPT, ids: torch.Tensor, start: int, cache: object) -> torch.Tensor:
    """Given, complete: logits (B, T, V) of new tokens ids (B, T) at positions start .. start + T - 1,
    every layer reading and extending `cache` (a StaticKVCache or a PagedKVCache)."""
    positions = torch.arange(start, start + ids.shape[1])
    x = model.embed(ids)
    for layer, block in enumerate(model.blocks):
        x = block_forward(block, x, positions, cache, layer)
    return model.head(model.ln_f(x))


@torch.no_grad()
def generate_eager(model: lm.CharGPT, prompt: torch.Tensor, n_new: int) -> torch.Tensor:
    """Greedy decoding without a cache: every step runs the model over the whole sequence so far.

    Step s appends argmax(model(ids)[:, -1]) to ids (ties: torch.argmax's first index).

    Shapes:
        prompt: (B, P) int64, P >= 1; returns (B, P + n_new) int64, starting with the prompt
    """
    raise NotImplementedError("generate_eager: run the model over the whole sequence every step, append the argmax")


class StaticKVCache:
    """A KV cache allocated once for max_len positions (Hugging Face's StaticCache, TensorRT-LLM's
    and FasterTransformer's pre-allocated buffers).

    __init__ allocates self.k and self.v, each (n_layer, batch, n_head, max_len, head_dim) zeros of
    `dtype`, and nothing ever again. write(layer, k, v, start) copies k, v (batch, n_head, T, head_dim)
    into positions start .. start + T - 1 (ValueError past max_len); read(layer, end) returns the
    views k[layer, :, :, :end], v[layer, :, :, :end]. nbytes(): bytes of the two buffers.
    """

    def __init__(self, cfg: lm.LMConfig, batch: int, max_len: int, dtype: torch.dtype = torch.float32) -> None:
        raise NotImplementedError("StaticKVCache.__init__: allocate the buffers")

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
        raise NotImplementedError("StaticKVCache.write: store positions start .. start + T - 1")

    def read(self, layer: int, end: int) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError("StaticKVCache.read: return positions 0 .. end - 1")

    def nbytes(self) -> int:
        raise NotImplementedError("StaticKVCache.nbytes: bytes of both buffers")


class PagedKVCache:
    """A paged KV cache (vLLM's PagedAttention, DeepSpeed-FastGen's blocked KV cache).

    __init__ allocates one pool per tensor, self.k_pool and self.v_pool, each (n_layer, n_blocks,
    n_head, block_size, head_dim) zeros of `dtype`, and a block table per sequence
    (self.block_tables: list of `batch` lists of block indices, all empty). Blocks are handed out
    from a free list in increasing index order (0, 1, 2, ...) when a write reaches a position that
    starts a new block, sequence 0 taking all the blocks it needs first, then sequence 1, and so on:
    position p of sequence b lives in block block_tables[b][p // block_size] at offset p % block_size. write(layer, k, v, start) stores positions start .. start
    + T - 1 of every sequence (allocating blocks on layer 0's write only; RuntimeError when the pool
    is empty); read(layer, end) gathers positions 0 .. end - 1 back into (batch, n_head, end,
    head_dim) tensors. blocks_in_use(): blocks allocated so far; nbytes_in_use(): bytes of those
    blocks in both pools.
    """

    def __init__(self, cfg: lm.LMConfig, batch: int, n_blocks: int, block_size: int = 16,
                 dtype: torch.dtype = torch.float32) -> None:
        raise NotImplementedError("PagedKVCache.__init__: allocate the buffers")

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
        raise NotImplementedError("PagedKVCache.write: store positions start .. start + T - 1")

    def read(self, layer: int, end: int) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError("PagedKVCache.read: return positions 0 .. end - 1")

    def blocks_in_use(self) -> int:
        raise NotImplementedError("PagedKVCache.blocks_in_use: blocks allocated so far")

    def nbytes_in_use(self) -> int:
        raise NotImplementedError("PagedKVCache.nbytes_in_use: bytes of the allocated blocks")


@torch.no_grad()
def generate_cached(model: lm.CharGPT, prompt: torch.Tensor, n_new: int, cache: object) -> torch.Tensor:
    """Greedy decoding with a KV cache: one prefill over the prompt, then one token per step.

    Prefill: forward_with_cache(model, prompt, 0, cache); its last row's argmax is the first new
    token. Each later step feeds only the newest token at its position. The same tokens as
    generate_eager (ties: torch.argmax's first index), for any cache that works.

    Shapes:
        prompt: (B, P) int64; returns (B, P + n_new) int64
    """
    raise NotImplementedError("generate_cached: prefill the prompt through forward_with_cache, then one token per step")


def quantize_int8(model: nn.Module) -> nn.Module:
    """A copy of `model` with every nn.Linear replaced by torch's dynamic int8 quantized Linear.

    torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {nn.Linear}, dtype=torch.qint8):
    int8 weights with per-tensor scales, activations quantized on the fly. `model` is not changed.
    """
    raise NotImplementedError("quantize_int8: torch.ao.quantization.quantize_dynamic on a deep copy")
