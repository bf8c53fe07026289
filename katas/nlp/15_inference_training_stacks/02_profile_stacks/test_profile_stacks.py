"""Tests for nlp-15-2, profiling throughput, memory and latency of three inference stacks.

Reference: torch.utils.flop_counter.FlopCounterMode on the given TinyGPT (prefill and cached decode
steps of a real generation), Tensor.nbytes of real tensors laid out as each stack stores them
(fp16 parameters, GPTQ-style packed int4 codes with fp16 scales and packed zeros, static, paged and
dynamic KV caches), the roofline max(compute, memory) evaluated from those counts, and brute force
for the largest batch that fits. Real timings are in the `benchmark` test; the peak memory of a
real CUDA run is in the `gpu` test.
"""
import math

import pytest
import torch
import torch._dynamo  # noqa: F401  FlopCounterMode imports it on first use (~3 s): pay that once, at collection
from hypothesis import example, given
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call

KV_DTYPES = {1: torch.float8_e4m3fn, 2: torch.float16, 4: torch.float32}
POLICIES = st.sampled_from(["dynamic", "static", "paged"])


def make_cfg(kata, heads: int, d_head: int, layers: int, vocab: int = 13, positions: int = 32):
    return kata.GPTConfig(vocab_size=vocab, n_positions=positions, d_model=heads * d_head, n_heads=heads,
                          n_layers=layers)


def model_for(kata, cfg, seed: int):
    torch.manual_seed(seed)
    return kata.TinyGPT(cfg).eval()


def counted_flops(fn) -> int:
    with FlopCounterMode(display=False) as counter:
        out = fn()
    return int(counter.get_total_flops()), out


def real_generation_flops(model, batch: int, prompt_len: int, gen_len: int, seed: int) -> list[tuple[int, int, int]]:
    """(new tokens, past tokens, FLOPs) of the prefill and each decode step of a real greedy generation."""
    ids = torch.randint(0, model.cfg.vocab_size, (batch, prompt_len), generator=torch.Generator().manual_seed(seed))
    steps = []
    with torch.no_grad():
        flops, (logits, cache) = counted_flops(lambda: model(ids))
        steps.append((prompt_len, 0, flops))
        for j in range(1, gen_len):
            token = logits[:, -1:].argmax(-1)
            flops, (logits, cache) = counted_flops(lambda t=token, c=cache: model(t, c))
            steps.append((1, prompt_len + j - 1, flops))
    return steps


def real_weight_bytes(model, spec) -> int:
    """nbytes of the tensors a stack would hold: fp16 parameters, or GPTQ-style packed int4 layers."""
    if spec.weight_bits == 16:
        return sum(p.detach().half().nbytes for p in model.parameters())
    total = 0
    quantized = set()
    for layer in model.layers:
        for lin in (layer.qkv_proj, layer.o_proj, layer.up_proj, layer.down_proj):
            out_f, in_f = lin.weight.shape
            groups = math.ceil(in_f / spec.group_size)
            qweight = torch.empty((in_f * out_f + 1) // 2, dtype=torch.uint8)        # two 4-bit codes per byte
            scales = torch.empty(out_f, groups, dtype=torch.float16)
            qzeros = torch.empty((out_f * groups + 1) // 2, dtype=torch.uint8)      # two 4-bit zeros per byte
            total += qweight.nbytes + scales.nbytes + qzeros.nbytes
            quantized.add(id(lin.weight))
    return total + sum(p.detach().half().nbytes for p in model.parameters() if id(p) not in quantized)


def real_kv_bytes(cfg, spec, batch: int, seq_len: int, max_seq_len: int, model=None) -> int:
    dtype = KV_DTYPES[spec.kv_bytes]
    L, H, dh = cfg.n_layers, cfg.n_heads, cfg.d_head
    if spec.kv_policy == "static":
        return torch.empty(L, 2, batch, H, max_seq_len, dh, dtype=dtype).nbytes
    if spec.kv_policy == "paged":
        blocks = batch * math.ceil(seq_len / spec.kv_block_size)
        return torch.empty(L, 2, blocks, H, spec.kv_block_size, dh, dtype=dtype).nbytes
    ids = torch.zeros(batch, seq_len, dtype=torch.long)
    with torch.no_grad():
        _, cache = model(ids)
    return sum(k.to(dtype).nbytes + v.to(dtype).nbytes for k, v in cache)


def roofline(flops: int, bytes_: int, hw) -> float:
    return max(flops / hw.peak_flops, bytes_ / hw.bandwidth)


def kv_moved(cfg, spec, batch: int, tokens: int) -> int:
    return 2 * cfg.n_layers * batch * cfg.n_heads * cfg.d_head * tokens * spec.kv_bytes


def flops_hint(got: int, want: int, cfg, batch: int, new: int, past: int) -> str:
    d = cfg.d_model
    hints = {want // 2: "half the count: one FLOP per multiply-add? Count 2 (a multiply and an add)",
             want - 2 * batch * new * d * cfg.vocab_size: "lm_head is missing",
             want - 4 * cfg.n_layers * batch * new * past * d: "the attention products ignore the cached keys",
             want - 4 * cfg.n_layers * batch * new * d: "the attention spans past + new - 1 keys: the new token sees itself"}
    return hints.get(got, "")


def spec_for(kata, draw_bits, group, policy, block, kv_bytes):
    return kata.StackSpec("custom", weight_bits=draw_bits, group_size=group, kv_policy=policy, kv_block_size=block,
                          kv_bytes=kv_bytes)


@given(heads=dims(1, 4), d_head=dims(1, 4), layers=dims(1, 3), batch=dims(1, 3), new=dims(1, 5), past=st.integers(0, 6),
       seed=seeds())
@example(heads=2, d_head=4, layers=2, batch=2, new=4, past=0, seed=0)
@example(heads=4, d_head=2, layers=1, batch=1, new=1, past=6, seed=1)
def test_forward_flops_match_flop_counter(kata, heads, d_head, layers, batch, new, past, seed):
    cfg = make_cfg(kata, heads, d_head, layers)
    model = model_for(kata, cfg, seed)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        cache = model(torch.randint(0, cfg.vocab_size, (batch, past), generator=g))[1] if past else None
        want, _ = counted_flops(lambda: model(torch.randint(0, cfg.vocab_size, (batch, new), generator=g), cache))
    call = describe_call("forward_flops", cfg, batch, new, past)
    got = kata.forward_flops(cfg, batch, new, past)
    hint = flops_hint(got, want, cfg, batch, new, past) if got != want else ""
    assert got == want, f"{call} returned {got}; FlopCounterMode counts {want} on TinyGPT" + (
        f"\n  looks like: {hint}" if hint else "")


@given(heads=dims(1, 4), d_head=st.sampled_from([2, 4, 8]), layers=dims(1, 3), bits=st.sampled_from([16, 4]),
       group=st.sampled_from([8, 16, 24, 128]), vocab=dims(5, 40), seed=seeds())
@example(heads=4, d_head=8, layers=2, bits=4, group=16, vocab=13, seed=0)
@example(heads=1, d_head=2, layers=1, bits=4, group=128, vocab=5, seed=0)
def test_weight_bytes_match_the_stored_tensors(kata, heads, d_head, layers, bits, group, vocab, seed):
    cfg = make_cfg(kata, heads, d_head, layers, vocab=vocab)
    spec = spec_for(kata, bits, group, "static", 16, 2)
    want = real_weight_bytes(model_for(kata, cfg, seed), spec)
    call = describe_call("weight_bytes", cfg, spec)
    got = kata.weight_bytes(cfg, spec)
    fp16 = real_weight_bytes(model_for(kata, cfg, seed), spec_for(kata, 16, group, "static", 16, 2))
    hint = {fp16 // 4: "everything at 4 bits: embeddings, norms, biases and lm_head stay fp16",
            fp16: "the 4-bit layers are counted at fp16"}.get(got, "") if got != want else ""
    assert got == want, f"{call} returned {got}; the stored tensors hold {want} bytes" + (
        f"\n  looks like: {hint}" if hint else "")


@given(heads=dims(1, 4), d_head=dims(1, 4), layers=dims(1, 3), batch=dims(1, 3), seq_len=dims(1, 20),
       extra=st.integers(0, 12), policy=POLICIES, block=st.sampled_from([1, 4, 16]), kv_bytes=st.sampled_from([1, 2, 4]))
@example(heads=2, d_head=2, layers=1, batch=2, seq_len=17, extra=3, policy="paged", block=16, kv_bytes=2)
@example(heads=2, d_head=2, layers=2, batch=1, seq_len=5, extra=0, policy="dynamic", block=16, kv_bytes=2)
def test_kv_cache_bytes_match_the_allocations(kata, heads, d_head, layers, batch, seq_len, extra, policy, block, kv_bytes):
    cfg = make_cfg(kata, heads, d_head, layers)
    spec = spec_for(kata, 16, 128, policy, block, kv_bytes)
    max_seq = seq_len + extra
    want = real_kv_bytes(cfg, spec, batch, seq_len, max_seq, model=model_for(kata, cfg, 0))
    call = describe_call("kv_cache_bytes", cfg, spec, batch, seq_len, max_seq)
    got = kata.kv_cache_bytes(cfg, spec, batch, seq_len, max_seq)
    per_slot = 2 * layers * batch * heads * d_head * kv_bytes
    candidates = [(per_slot * (seq_len // block * block) if policy == "paged" else None,
                   "the paged cache rounds the blocks down; a partial block is a whole block (ceil)"),
                  (per_slot * seq_len if policy == "static" else None,
                   "sized for the tokens in use; a static cache preallocates max_seq_len slots"),
                  (want // 2, "keys only: the values need the same again")]
    hint = " or ".join(text for value, text in candidates if value == got) if got != want else ""
    assert got == want, f"{call} returned {got}; the {policy} cache allocates {want} bytes" + (
        f"\n  looks like: {hint}" if hint else "")


@given(policy=POLICIES, over=dims(1, 5))
def test_kv_cache_bytes_rejects_sequences_longer_than_the_maximum(kata, policy, over):
    cfg = make_cfg(kata, 2, 2, 1)
    spec = spec_for(kata, 16, 128, policy, 16, 2)
    with pytest.raises(ValueError):
        kata.kv_cache_bytes(cfg, spec, 1, 8 + over, 8)
        pytest.fail(f"kv_cache_bytes(seq_len={8 + over}, max_seq_len=8) did not raise ValueError")


HW_PEAKS = st.sampled_from([1e3, 1e6, 1e9, 1e12])
HW_BANDWIDTHS = st.sampled_from([1e3, 1e6, 1e9, 1e12])


@given(heads=dims(1, 4), d_head=dims(1, 4), layers=dims(1, 2), batch=dims(1, 3), new=dims(1, 5), past=st.integers(0, 6),
       bits=st.sampled_from([16, 4]), peak=HW_PEAKS, bw=HW_BANDWIDTHS, seed=seeds())
@example(heads=2, d_head=4, layers=2, batch=2, new=4, past=0, bits=16, peak=1e12, bw=1e3, seed=0)   # memory-bound
@example(heads=2, d_head=4, layers=2, batch=2, new=4, past=3, bits=4, peak=1e3, bw=1e12, seed=0)    # compute-bound
def test_step_seconds_is_the_roofline(kata, heads, d_head, layers, batch, new, past, bits, peak, bw, seed):
    cfg = make_cfg(kata, heads, d_head, layers)
    spec = spec_for(kata, bits, 8, "paged", 16, 2)
    hw = kata.Hardware("test", peak_flops=peak, bandwidth=bw, memory_bytes=10**9)
    model = model_for(kata, cfg, seed)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        cache = model(torch.randint(0, cfg.vocab_size, (batch, past), generator=g))[1] if past else None
        flops, _ = counted_flops(lambda: model(torch.randint(0, cfg.vocab_size, (batch, new), generator=g), cache))
    moved = real_weight_bytes(model, spec) + kv_moved(cfg, spec, batch, past + new)
    want = roofline(flops, moved, hw)
    call = describe_call("step_seconds", cfg, spec, hw, batch, new, past)
    got = kata.step_seconds(cfg, spec, hw, batch, new, past)
    hint = ""
    if math.isclose(got, flops / peak + moved / bw, rel_tol=1e-12) and not math.isclose(got, want, rel_tol=1e-12):
        hint = "\n  looks like: compute time + memory time; the roofline takes the max (they overlap)"
    # closed forms in float64: 1e-12 relative.
    try:
        assert_close(got, want, rtol=1e-12, atol=0, call=call)
    except AssertionError as e:
        raise AssertionError(f"{e}\n  FLOPs {flops} (compute {flops / peak:.4g} s), bytes {moved} "
                             f"(memory {moved / bw:.4g} s){hint}") from None


KEYS = ("prefill_s", "decode_s", "latency_s", "tpot_s", "throughput_tok_s", "weight_bytes", "kv_bytes", "peak_bytes")


@given(heads=dims(1, 4), d_head=dims(1, 4), layers=dims(1, 2), batch=dims(1, 3), prompt=dims(1, 6), gen=dims(1, 5),
       stack=st.integers(0, 2), peak=HW_PEAKS, bw=HW_BANDWIDTHS, seed=seeds())
@example(heads=2, d_head=4, layers=2, batch=2, prompt=5, gen=4, stack=1, peak=1e9, bw=1e9, seed=0)
@example(heads=1, d_head=2, layers=1, batch=1, prompt=1, gen=1, stack=0, peak=1e9, bw=1e6, seed=0)
def test_profile_stack_matches_a_real_generation(kata, heads, d_head, layers, batch, prompt, gen, stack, peak, bw, seed):
    cfg = make_cfg(kata, heads, d_head, layers)
    spec = kata.STACKS[stack]
    hw = kata.Hardware("test", peak_flops=peak, bandwidth=bw, memory_bytes=10**9)
    max_seq = prompt + gen + 3
    model = model_for(kata, cfg, seed)
    w = real_weight_bytes(model, spec)
    times = [roofline(f, w + kv_moved(cfg, spec, batch, past + new), hw)
             for new, past, f in real_generation_flops(model, batch, prompt, gen, seed)]
    kv = real_kv_bytes(cfg, spec, batch, prompt + gen - 1, max_seq, model=model)
    decode = sum(times[1:])
    want = {"prefill_s": times[0], "decode_s": decode, "latency_s": times[0] + decode,
            "tpot_s": decode / (gen - 1) if gen > 1 else 0.0, "throughput_tok_s": batch * gen / (times[0] + decode),
            "weight_bytes": w, "kv_bytes": kv, "peak_bytes": w + kv}
    call = describe_call("profile_stack", cfg, spec.name, hw, batch, prompt, gen, max_seq)
    got = kata.profile_stack(cfg, spec, hw, batch, prompt, gen, max_seq)
    assert set(got) == set(KEYS), f"{call} returned keys {sorted(got)}, expected {sorted(KEYS)}"
    for key in KEYS:
        # sums of at most 5 float64 roofline terms: 1e-12 relative.
        assert_close(got[key], want[key], rtol=1e-12, atol=0, name=f"[{key!r}] (prefill + {gen - 1} decode steps)",
                     call=call)


@given(heads=dims(1, 4), d_head=dims(1, 4), layers=dims(1, 2), seq_len=dims(1, 40), stack=st.integers(0, 2),
       room=st.integers(-3, 40), slack=st.integers(0, 10**4))
@example(heads=2, d_head=2, layers=1, seq_len=17, stack=1, room=3, slack=0)
@example(heads=2, d_head=2, layers=1, seq_len=17, stack=0, room=-1, slack=0)
def test_max_batch_is_the_largest_that_fits(kata, heads, d_head, layers, seq_len, stack, room, slack):
    cfg = make_cfg(kata, heads, d_head, layers, positions=64)
    spec = kata.STACKS[stack]
    model = model_for(kata, cfg, 0)
    w = real_weight_bytes(model, spec)
    per_seq = real_kv_bytes(cfg, spec, 1, seq_len, 48, model=model)
    memory = max(w + room * per_seq + min(slack, per_seq - 1), 0)
    hw = kata.Hardware("test", peak_flops=1e12, bandwidth=1e12, memory_bytes=memory)

    def fits(b: int) -> bool:
        return w + real_kv_bytes(cfg, spec, b, seq_len, 48, model=model) <= memory if b else w <= memory

    want = 0
    while fits(want + 1):
        want += 1
    call = describe_call("max_batch", cfg, spec.name, hw, seq_len, 48)
    got = kata.max_batch(cfg, spec, hw, seq_len, 48)
    assert got == want, (f"{call} returned {got}, expected {want}: weights {w} bytes, {per_seq} bytes of KV cache per "
                         f"sequence, {memory} bytes of memory")


def test_the_three_stacks_on_a_7b_model(kata):
    """Worked example: a Llama-7B-sized GPT on an A100-40GB, 512-token prompts, 128 new tokens."""
    cfg = kata.GPTConfig(vocab_size=32000, n_positions=4096, d_model=4096, n_heads=32, n_layers=32)
    hw = kata.A100_40GB
    prof = {s.name: kata.profile_stack(cfg, s, hw, 1, 512, 128, 2048) for s in kata.STACKS}
    ds, vl, ex = prof["deepspeed"], prof["vllm"], prof["exllama"]
    assert 3.0 < ds["weight_bytes"] / ex["weight_bytes"] < 4.0, (
        f"fp16 weights {ds['weight_bytes'] / 1e9:.2f} GB vs 4-bit {ex['weight_bytes'] / 1e9:.2f} GB: expected 3-4x "
        "smaller (4-bit codes plus scales, zeros and fp16 embeddings)")
    assert ex["tpot_s"] < 0.5 * ds["tpot_s"] and math.isclose(vl["tpot_s"], ds["tpot_s"], rel_tol=1e-3), (
        f"batch-1 decoding is memory-bound: time per token should follow the bytes read; got "
        f"{ {k: round(v['tpot_s'] * 1e3, 3) for k, v in prof.items()} } ms")
    assert vl["kv_bytes"] < ds["kv_bytes"] == ex["kv_bytes"], (
        f"KV bytes {[p['kv_bytes'] for p in prof.values()]}: the paged cache holds 640 slots, the static ones 2048")
    batches = {s.name: kata.max_batch(cfg, s, hw, 640, 2048) for s in kata.STACKS}
    assert batches["vllm"] > 2 * batches["deepspeed"] and batches["exllama"] > batches["deepspeed"], (
        f"sequences that fit in 40 GB: {batches}; paging should fit ~3x more than a static cache, "
        "and 4-bit weights free memory for more sequences")


@pytest.mark.benchmark
def test_benchmark_cpu_generation_vs_roofline(kata):
    torch.manual_seed(0)
    cfg = kata.GPTConfig(vocab_size=4096, n_positions=512, d_model=512, n_heads=8, n_layers=4)
    model = kata.TinyGPT(cfg).eval()
    cpu = kata.Hardware("this CPU (guess)", peak_flops=5e10, bandwidth=1e10, memory_bytes=8 * 10**9)
    spec = kata.StackSpec("eager torch, fp32", weight_bits=16, kv_policy="dynamic", kv_bytes=4)
    print(f"\nTinyGPT d={cfg.d_model} L={cfg.n_layers} on CPU (fp32; the model counts as fp16 in the estimate)")
    for batch, prompt, gen in ((1, 128, 32), (8, 128, 32)):
        ids = torch.randint(0, cfg.vocab_size, (batch, prompt))
        kata.time_generation(model, ids, 2)
        real = kata.time_generation(model, ids, gen)
        pred = kata.profile_stack(cfg, spec, cpu, batch, prompt, gen, prompt + gen)
        print(f"  batch {batch}: measured TTFT {real['prefill_s'] * 1e3:7.2f} ms, TPOT {real['tpot_s'] * 1e3:6.2f} ms, "
              f"{real['throughput_tok_s']:8.1f} tok/s | roofline TTFT {pred['prefill_s'] * 1e3:7.2f} ms, "
              f"TPOT {pred['tpot_s'] * 1e3:6.2f} ms, {pred['throughput_tok_s']:8.1f} tok/s")


@pytest.mark.gpu
def test_cuda_peak_memory_covers_weights_and_cache(kata):
    torch.manual_seed(0)
    cfg = kata.GPTConfig(vocab_size=32000, n_positions=2048, d_model=1024, n_heads=16, n_layers=8)
    model = kata.TinyGPT(cfg).half().cuda().eval()
    spec = kata.StackSpec("eager torch fp16", weight_bits=16, kv_policy="dynamic")
    batch, prompt, gen = 8, 512, 64
    ids = torch.randint(0, cfg.vocab_size, (batch, prompt), device="cuda")
    torch.cuda.reset_peak_memory_stats()
    real = kata.time_generation(model, ids, gen)
    peak = torch.cuda.max_memory_allocated()
    pred = kata.profile_stack(cfg, spec, kata.A100_40GB, batch, prompt, gen, prompt + gen)
    print(f"\nmeasured peak {peak / 2**20:.1f} MiB vs predicted weights + cache {pred['peak_bytes'] / 2**20:.1f} MiB; "
          f"{real['throughput_tok_s']:.1f} tok/s measured vs {pred['throughput_tok_s']:.1f} predicted (A100 roofline)")
    assert peak >= pred["peak_bytes"], "the real run cannot hold less than its weights and its KV cache"
