"""Plausible wrong cost models that the tests must reject."""
from __future__ import annotations

from grader.pitfalls import pitfall


@pitfall(replaces="forward_flops", why="counts multiply-adds, not FLOPs (one per MAC instead of two)")
def macs_not_flops(cfg: GPTConfig, batch: int, new_tokens: int, past_tokens: int = 0) -> int:
    d, n, b = cfg.d_model, new_tokens, batch
    keys = past_tokens + new_tokens
    return cfg.n_layers * (b * n * d * 12 * d + 2 * b * n * keys * d) + b * n * d * cfg.vocab_size


@pitfall(replaces="forward_flops", why="the attention products span the new tokens only, as if nothing were cached")
def ignores_cached_keys(cfg: GPTConfig, batch: int, new_tokens: int, past_tokens: int = 0) -> int:
    d, n, b = cfg.d_model, new_tokens, batch
    return cfg.n_layers * (2 * b * n * d * 12 * d + 4 * b * n * n * d) + 2 * b * n * d * cfg.vocab_size


@pitfall(replaces="forward_flops", why="forgets the lm_head projection to the vocabulary")
def no_lm_head(cfg: GPTConfig, batch: int, new_tokens: int, past_tokens: int = 0) -> int:
    d, n, b = cfg.d_model, new_tokens, batch
    return cfg.n_layers * (2 * b * n * d * 12 * d + 4 * b * n * (past_tokens + n) * d)


@pitfall(replaces="weight_bytes", why="4-bit means every parameter at half a byte (embeddings and lm_head too)")
def everything_4_bit(cfg: GPTConfig, spec: StackSpec) -> int:
    fp16 = _reference_weight_bytes(cfg, StackSpec("fp16", weight_bits=16))
    return fp16 if spec.weight_bits == 16 else fp16 // 4


@pitfall(replaces="weight_bytes", why="counts the packed 4-bit codes but not the per-group scales and zero points")
def forgets_scales(cfg: GPTConfig, spec: StackSpec) -> int:
    if spec.weight_bits == 16:
        return _reference_weight_bytes(cfg, spec)
    d, v = cfg.d_model, cfg.vocab_size
    linears = [(d, 3 * d), (d, d), (d, 4 * d), (4 * d, d)]
    per_layer = sum((i * o + 1) // 2 for i, o in linears) + 2 * (sum(o for _, o in linears) + 4 * d)
    return cfg.n_layers * per_layer + 2 * (2 * v * d + cfg.n_positions * d + 2 * d)


@pitfall(replaces="kv_cache_bytes", why="keys only: forgets the factor 2 for the values")
def keys_only(cfg: GPTConfig, spec: StackSpec, batch: int, seq_len: int, max_seq_len: int) -> int:
    if seq_len > max_seq_len:
        raise ValueError("too long")
    slots = {"dynamic": seq_len, "static": max_seq_len,
             "paged": -(-seq_len // spec.kv_block_size) * spec.kv_block_size}[spec.kv_policy]
    return cfg.n_layers * batch * cfg.n_heads * cfg.d_head * slots * spec.kv_bytes


@pitfall(replaces="kv_cache_bytes", why="paged cache rounds the block count down: the last partial block is lost")
def paged_floor(cfg: GPTConfig, spec: StackSpec, batch: int, seq_len: int, max_seq_len: int) -> int:
    if seq_len > max_seq_len:
        raise ValueError("too long")
    slots = {"dynamic": seq_len, "static": max_seq_len,
             "paged": seq_len // spec.kv_block_size * spec.kv_block_size}[spec.kv_policy]
    return 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * slots * spec.kv_bytes


@pitfall(replaces="kv_cache_bytes", why="a static cache sized for the tokens in use, not the max_seq_len it preallocates")
def static_as_dynamic(cfg: GPTConfig, spec: StackSpec, batch: int, seq_len: int, max_seq_len: int) -> int:
    if seq_len > max_seq_len:
        raise ValueError("too long")
    slots = -(-seq_len // spec.kv_block_size) * spec.kv_block_size if spec.kv_policy == "paged" else seq_len
    return 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * slots * spec.kv_bytes


@pitfall(replaces="step_seconds", why="adds compute time and memory time instead of taking the max (they overlap)")
def sum_not_max(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, new_tokens: int, past_tokens: int) -> float:
    flops = forward_flops(cfg, batch, new_tokens, past_tokens)
    kv = 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * (past_tokens + new_tokens) * spec.kv_bytes
    return flops / hw.peak_flops + (weight_bytes(cfg, spec) + kv) / hw.bandwidth


@pitfall(replaces="step_seconds", why="memory time from the weights alone: the KV cache read every step is ignored")
def weights_only_traffic(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, new_tokens: int,
                         past_tokens: int) -> float:
    flops = forward_flops(cfg, batch, new_tokens, past_tokens)
    return max(flops / hw.peak_flops, weight_bytes(cfg, spec) / hw.bandwidth)


@pitfall(replaces="profile_stack", why="gen_len decode steps after the prefill: one token too many")
def one_decode_step_too_many(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, prompt_len: int, gen_len: int,
                             max_seq_len: int) -> dict[str, float]:
    prefill = step_seconds(cfg, spec, hw, batch, prompt_len, 0)
    decode = sum(step_seconds(cfg, spec, hw, batch, 1, prompt_len + j - 1) for j in range(1, gen_len + 1))
    w = weight_bytes(cfg, spec)
    kv = kv_cache_bytes(cfg, spec, batch, prompt_len + gen_len - 1, max_seq_len)
    return {"prefill_s": prefill, "decode_s": decode, "latency_s": prefill + decode, "tpot_s": decode / gen_len,
            "throughput_tok_s": batch * gen_len / (prefill + decode), "weight_bytes": w, "kv_bytes": kv,
            "peak_bytes": w + kv}


@pitfall(replaces="profile_stack", why="throughput over the decode time only (the prefill's time is not free)")
def throughput_without_prefill(cfg: GPTConfig, spec: StackSpec, hw: Hardware, batch: int, prompt_len: int,
                               gen_len: int, max_seq_len: int) -> dict[str, float]:
    out = _reference_profile_stack(cfg, spec, hw, batch, prompt_len, gen_len, max_seq_len)
    if out["decode_s"] > 0:
        out["throughput_tok_s"] = batch * gen_len / out["decode_s"]
    return out


@pitfall(replaces="max_batch", why="ignores the weights: divides all of memory by the per-sequence cache")
def forgets_weights(cfg: GPTConfig, spec: StackSpec, hw: Hardware, seq_len: int, max_seq_len: int) -> int:
    return hw.memory_bytes // kv_cache_bytes(cfg, spec, 1, seq_len, max_seq_len)


@pitfall(replaces="max_batch", why="rounds the number of sequences up: the last one does not fit")
def rounds_up(cfg: GPTConfig, spec: StackSpec, hw: Hardware, seq_len: int, max_seq_len: int) -> int:
    free = hw.memory_bytes - weight_bytes(cfg, spec)
    return max(-(-free // kv_cache_bytes(cfg, spec, 1, seq_len, max_seq_len)), 0)


_reference_profile_stack = profile_stack
_reference_weight_bytes = weight_bytes
