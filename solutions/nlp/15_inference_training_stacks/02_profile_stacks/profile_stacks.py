"""Reference solution for nlp-15-2."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class GPTConfig:
    """Given, complete: the sizes of a GPT-2-style model (the one of nlp-15-1)."""

    vocab_size: int = 64
    n_positions: int = 64
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads


@dataclass(frozen=True)
class StackSpec:
    """Given, complete: what an inference stack does with weights and the KV cache.

    weight_bits: 16 (fp16 everywhere) or 4 (GPTQ-style int4 for the Linear layers inside the blocks;
        embeddings, norms, biases and lm_head stay fp16).
    group_size: input channels sharing one fp16 scale and one 4-bit zero point (4-bit only).
    kv_policy: "dynamic" (exactly the tokens so far), "static" (max_seq_len slots per sequence,
        allocated up front) or "paged" (blocks of kv_block_size slots, allocated as needed).
    kv_bytes: bytes per cached key/value element (2 for fp16).
    """

    name: str
    weight_bits: int = 16
    group_size: int = 128
    kv_policy: str = "static"
    kv_block_size: int = 16
    kv_bytes: int = 2


DEEPSPEED = StackSpec("deepspeed", weight_bits=16, kv_policy="static")      # DeepSpeed-Inference kernels
VLLM = StackSpec("vllm", weight_bits=16, kv_policy="paged", kv_block_size=16)  # PagedAttention
EXLLAMA = StackSpec("exllama", weight_bits=4, group_size=128, kv_policy="static")  # GPTQ/EXL2 4-bit
STACKS = (DEEPSPEED, VLLM, EXLLAMA)


@dataclass(frozen=True)
class Hardware:
    """Given, complete: a roofline description of an accelerator."""

    name: str
    peak_flops: float        # FLOP/s of the matmul units at the model's precision
    bandwidth: float         # bytes/s of device memory
    memory_bytes: int        # device memory ("VRAM")


A100_40GB = Hardware("A100-40GB", peak_flops=312e12, bandwidth=1.555e12, memory_bytes=40 * 10**9)


class Layer(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.cfg = cfg
        self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv_proj, self.o_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.up_proj, self.down_proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x: torch.Tensor, cache: tuple[torch.Tensor, torch.Tensor] | None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        b, n, d = x.shape
        h, dh = self.cfg.n_heads, self.cfg.d_head
        q, k, v = (z.reshape(b, n, h, dh).transpose(1, 2) for z in self.qkv_proj(self.ln_1(x)).split(d, dim=-1))
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        past = k.shape[2] - n
        scores = q @ k.transpose(-2, -1) / math.sqrt(dh)                      # (b, h, n, past + n)
        allowed = torch.ones(n, past + n, dtype=torch.bool, device=x.device).tril(diagonal=past)
        att = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1) @ v
        x = x + self.o_proj(att.transpose(1, 2).reshape(b, n, d))
        x = x + self.down_proj(F.gelu(self.up_proj(self.ln_2(x)), approximate="tanh"))
        return x, (k, v)


class TinyGPT(nn.Module):
    """Given, complete: the engine model of nlp-15-1 (vllm layout) with a KV cache.

    forward(ids (B, n) int64, cache=None) -> (logits (B, n, V), cache), cache a list with one (k, v)
    per layer, each (B, heads, past + n, d_head). Logits are computed for every new position.
    """

    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.embed_positions = nn.Embedding(cfg.n_positions, cfg.d_model)
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.LayerNorm(cfg.d_model)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def forward(self, ids: torch.Tensor, cache: list | None = None) -> tuple[torch.Tensor, list]:
        past = 0 if cache is None else cache[0][0].shape[2]
        pos = torch.arange(past, past + ids.shape[1], device=ids.device)
        x = self.embed_tokens(ids) + self.embed_positions(pos)
        new_cache = []
        for i, layer in enumerate(self.layers):
            x, kv = layer(x, None if cache is None else cache[i])
            new_cache.append(kv)
        return self.lm_head(self.norm(x)), new_cache


@torch.no_grad()
def time_generation(model: TinyGPT, ids: torch.Tensor, gen_len: int) -> dict[str, float]:
    """Given, complete: wall-clock prefill and greedy decode on whatever device `ids` is on.

    Returns {"prefill_s", "decode_s", "latency_s", "tpot_s", "throughput_tok_s"} as measured.
    """
    sync = torch.cuda.synchronize if ids.is_cuda else (lambda: None)
    sync()
    t0 = time.perf_counter()
    logits, cache = model(ids)
    token = logits[:, -1:].argmax(-1)
    sync()
    t1 = time.perf_counter()
    for _ in range(gen_len - 1):
        logits, cache = model(token, cache)
        token = logits[:, -1:].argmax(-1)
    sync()
    t2 = time.perf_counter()
    decode = t2 - t1
    return {"prefill_s": t1 - t0, "decode_s": decode, "latency_s": t2 - t0,
            "tpot_s": decode / max(gen_len - 1, 1), "throughput_tok_s": ids.shape[0] * gen_len / (t2 - t0)}


# --------------------------------------------------------------------------------------------
# What you write.
# --------------------------------------------------------------------------------------------


def forward_flops(cfg: GPTConfig, batch: int, new_tokens: int, past_tokens: int = 0) -> int:
    """Matmul FLOPs (2 per multiply-add) of one TinyGPT forward over `new_tokens` positions per
    sequence with `past_tokens` already in the cache: per layer the qkv, o, up and down projections
    and the two attention products (scores and weights @ values over past + new keys), plus lm_head
    on every new position. Embeddings, norms, softmax and activations are not matmuls.

    Returns:
        an int
    """
    d, n, b = cfg.d_model, new_tokens, batch
    keys = past_tokens + new_tokens
    per_layer = 2 * b * n * d * (3 * d + d + 4 * d + 4 * d) + 2 * (2 * b * n * keys * d)
    return cfg.n_layers * per_layer + 2 * b * n * d * cfg.vocab_size


def weight_bytes(cfg: GPTConfig, spec: StackSpec) -> int:
    """Bytes of TinyGPT's weights as `spec` stores them.

    16 bits: every parameter (the untied lm_head included) in fp16, 2 bytes each.
    4 bits: each Linear inside the layers (qkv, o, up, down) stores in * out 4-bit codes (packed two
    per byte), and per output row ceil(in / group_size) fp16 scales and as many 4-bit zero points
    (packed two per byte); its bias and every other parameter stay fp16.

    Returns:
        an int
    """
    d, v = cfg.d_model, cfg.vocab_size
    linears = [(d, 3 * d), (d, d), (d, 4 * d), (4 * d, d)]                    # (in, out) per layer
    biases = sum(out for _, out in linears)
    norms = 2 * 2 * d
    other = v * d + cfg.n_positions * d + 2 * d + v * d                      # embeddings, final norm, lm_head
    if spec.weight_bits == 16:
        per_layer = sum(i * o for i, o in linears) + biases + norms
        return 2 * (cfg.n_layers * per_layer + other)
    if spec.weight_bits != 4:
        raise ValueError(f"weight_bits must be 16 or 4, got {spec.weight_bits}")
    per_layer = 0
    for i, o in linears:
        groups = -(-i // spec.group_size)
        per_layer += (i * o + 1) // 2 + 2 * o * groups + (o * groups + 1) // 2
    per_layer += 2 * (biases + norms)
    return cfg.n_layers * per_layer + 2 * other


def kv_cache_bytes(cfg: GPTConfig, spec: StackSpec, batch: int, seq_len: int, max_seq_len: int) -> int:
    """Bytes the KV cache occupies when every one of `batch` sequences holds `seq_len` tokens.

    Keys and values for every layer, head and slot: 2 * layers * batch * heads * d_head * slots * kv_bytes,
    slots = seq_len ("dynamic"), max_seq_len ("static"), or seq_len rounded up to a multiple of
    kv_block_size ("paged").

    Returns:
        an int

    Raises:
        ValueError: if seq_len > max_seq_len, or for an unknown policy.
    """
    if seq_len > max_seq_len:
        raise ValueError(f"seq_len {seq_len} exceeds max_seq_len {max_seq_len}")
    if spec.kv_policy == "dynamic":
        slots = seq_len
    elif spec.kv_policy == "static":
        slots = max_seq_len
    elif spec.kv_policy == "paged":
        slots = -(-seq_len // spec.kv_block_size) * spec.kv_block_size
    else:
        raise ValueError(f"unknown kv_policy {spec.kv_policy!r}")
    return 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * slots * spec.kv_bytes


def step_seconds(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, new_tokens: int, past_tokens: int) -> float:
    """Roofline time of one forward: max(compute time, memory time).

        compute = forward_flops(cfg, batch, new_tokens, past_tokens) / hw.peak_flops
        memory  = (weight_bytes(cfg, spec) + keys and values of past + new tokens read or written once,
                   2 * layers * batch * heads * d_head * (past + new) * kv_bytes) / hw.bandwidth

    Returns:
        seconds, a float
    """
    flops = forward_flops(cfg, batch, new_tokens, past_tokens)
    kv = 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * (past_tokens + new_tokens) * spec.kv_bytes
    return max(flops / hw.peak_flops, (weight_bytes(cfg, spec) + kv) / hw.bandwidth)


def profile_stack(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, prompt_len: int, gen_len: int,
                  max_seq_len: int) -> dict[str, float]:
    """Predicted latency, throughput and memory of generating gen_len tokens for `batch` prompts.

    The prefill (prompt_len new tokens, nothing cached) yields the first token; then gen_len - 1
    decode steps follow, step j = 1 .. gen_len - 1 feeding 1 token with prompt_len + j - 1 cached.

        prefill_s        step_seconds of the prefill (the time to first token)
        decode_s         the sum of the decode steps' step_seconds
        latency_s        prefill_s + decode_s
        tpot_s           decode_s / (gen_len - 1), time per output token after the first (0.0 if gen_len == 1)
        throughput_tok_s batch * gen_len / latency_s
        weight_bytes     weight_bytes(cfg, spec)
        kv_bytes         kv_cache_bytes at the end: prompt_len + gen_len - 1 tokens per sequence
        peak_bytes       weight_bytes + kv_bytes (activations are ignored)

    Returns:
        a dict with exactly those keys
    """
    prefill = step_seconds(cfg, spec, hw, batch, prompt_len, 0)
    decode = sum(step_seconds(cfg, spec, hw, batch, 1, prompt_len + j - 1) for j in range(1, gen_len))
    latency = prefill + decode
    w = weight_bytes(cfg, spec)
    kv = kv_cache_bytes(cfg, spec, batch, prompt_len + gen_len - 1, max_seq_len)
    return {"prefill_s": prefill, "decode_s": decode, "latency_s": latency,
            "tpot_s": decode / (gen_len - 1) if gen_len > 1 else 0.0,
            "throughput_tok_s": batch * gen_len / latency,
            "weight_bytes": w, "kv_bytes": kv, "peak_bytes": w + kv}


def max_batch(cfg: GPTConfig, spec: StackSpec, hw: Hardware, seq_len: int, max_seq_len: int) -> int:
    """The largest batch whose weights plus KV cache (seq_len tokens per sequence) fit in hw.memory_bytes.

    Returns:
        an int >= 0 (0 when not even the weights plus one sequence fit)
    """
    free = hw.memory_bytes - weight_bytes(cfg, spec)
    per_sequence = kv_cache_bytes(cfg, spec, 1, seq_len, max_seq_len)
    return max(free // per_sequence, 0)
