"""Tests for nlp-15-2, serving the workbook LM eagerly, with a static KV cache and with a paged one.

References: a plain greedy loop over the full sequence for the generated tokens (random float64
CharGPTs and the trained workbook LM); the cache layouts' tensors read back position by position, their
block tables simulated from the allocation rule, and their bytes from `Tensor.nbytes`;
`torch.utils.flop_counter.FlopCounterMode` for the work a cache saves; torch's own dynamic int8
quantization and the held-out loss for the int8 model. Real timings only in the `benchmark` test
(`pytest --run-benchmarks`), which prints a table.
"""
import copy
import math
import time
import warnings

import pytest
import torch
import torch._dynamo  # noqa: F401  (FlopCounterMode imports it on first use, ~2 s: do it at collection, untimed)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_equal, describe_call


def random_gpt(seed: int, n_layer: int = 2, n_head: int = 2, head_dim: int = 4) -> lm.CharGPT:
    cfg = lm.LMConfig(vocab_size=7, n_layer=n_layer, n_head=n_head, d_model=n_head * head_dim, d_ff=8, context=8)
    model = lm.CharGPT(cfg).double().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.8)
    return model


@torch.no_grad()
def reference_greedy(model, prompt: torch.Tensor, n_new: int) -> torch.Tensor:
    ids = prompt
    for _ in range(n_new):
        ids = torch.cat([ids, model(ids)[:, -1].argmax(-1, keepdim=True)], dim=1)
    return ids


def kv(seed: int, batch: int, n_head: int, length: int, head_dim: int, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(batch, n_head, length, head_dim, generator=g, dtype=dtype),
            torch.randn(batch, n_head, length, head_dim, generator=g, dtype=dtype))


def reference_tables(batch: int, block_size: int, ends: list[int]) -> list[list[int]]:
    """The allocation rule: at each write, sequence 0 takes the next free blocks it needs, then 1, ..."""
    tables, next_free = [[] for _ in range(batch)], 0
    for end in ends:
        for table in tables:
            while len(table) * block_size < end:
                table.append(next_free)
                next_free += 1
    return tables


@given(seed=seeds(), batch=dims(1, 3), prompt_len=dims(1, 5), n_new=st.integers(0, 6))
@example(seed=0, batch=2, prompt_len=3, n_new=4)
@example(seed=1, batch=1, prompt_len=1, n_new=0)
def test_generate_eager_is_greedy_decoding(kata, seed, batch, prompt_len, n_new):
    model = random_gpt(seed)
    prompt = torch.randint(7, (batch, prompt_len), generator=torch.Generator().manual_seed(seed + 1))
    call = describe_call("generate_eager", "<random float64 CharGPT>", prompt, n_new)
    got = kata.generate_eager(model, prompt, n_new)
    assert_equal(got, reference_greedy(model, prompt, n_new), name="generated ids", call=call)


@given(seed=seeds(), n_layer=dims(1, 3), batch=dims(1, 3), n_head=dims(1, 3), head_dim=dims(1, 4),
       max_len=dims(2, 12), dtype=st.sampled_from([torch.float32, torch.float64, torch.bfloat16]), data=st.data())
@example(seed=0, n_layer=2, batch=2, n_head=2, head_dim=4, max_len=8, dtype=torch.float32, data=None)
def test_static_cache_allocates_once_and_reads_back_what_was_written(kata, seed, n_layer, batch, n_head, head_dim,
                                                                     max_len, dtype, data):
    cfg = lm.LMConfig(vocab_size=7, n_layer=n_layer, n_head=n_head, d_model=n_head * head_dim, d_ff=8)
    call = describe_call("StaticKVCache", f"<{n_layer} layers, {n_head} heads of {head_dim}>", batch, max_len, dtype)
    cache = kata.StaticKVCache(cfg, batch, max_len, dtype)
    want_bytes = 2 * n_layer * batch * n_head * max_len * head_dim * torch.empty((), dtype=dtype).element_size()
    assert cache.nbytes() == want_bytes, f"{call}.nbytes() = {cache.nbytes()}, expected {want_bytes} (all max_len slots)"
    split = data.draw(st.integers(1, max_len), label="prefill") if data is not None else 3
    layer = n_layer - 1
    k, v = kv(seed, batch, n_head, max_len, head_dim, dtype)
    cache.write(layer, k[:, :, :split], v[:, :, :split], 0)
    for t in range(split, max_len):                     # then one position at a time
        cache.write(layer, k[:, :, t:t + 1], v[:, :, t:t + 1], t)
    for end in (1, split, max_len):
        got_k, got_v = cache.read(layer, end)
        assert_equal(got_k, k[:, :, :end], name=f"keys read back (end={end})", call=call)
        assert_equal(got_v, v[:, :, :end], name=f"values read back (end={end})", call=call)
    assert cache.nbytes() == want_bytes, f"{call}: nbytes() changed to {cache.nbytes()} while decoding"
    with pytest.raises(ValueError):
        cache.write(layer, k[:, :, :1], v[:, :, :1], max_len)
        pytest.fail(f"{call}.write at position {max_len} (past max_len) did not raise ValueError")


@given(seed=seeds(), n_layer=dims(1, 2), batch=dims(1, 3), n_head=dims(1, 2), head_dim=dims(1, 3),
       block_size=dims(1, 5), prefill=dims(1, 9), steps=st.integers(0, 7))
@example(seed=0, n_layer=2, batch=2, n_head=2, head_dim=2, block_size=4, prefill=5, steps=4)
@example(seed=1, n_layer=1, batch=3, n_head=1, head_dim=1, block_size=1, prefill=1, steps=2)   # a block per token
@example(seed=2, n_layer=1, batch=1, n_head=2, head_dim=3, block_size=4, prefill=4, steps=1)   # exactly full, then one more
def test_paged_cache_allocates_blocks_as_tokens_arrive(kata, seed, n_layer, batch, n_head, head_dim, block_size,
                                                       prefill, steps):
    cfg = lm.LMConfig(vocab_size=7, n_layer=n_layer, n_head=n_head, d_model=n_head * head_dim, d_ff=8)
    length = prefill + steps
    need = batch * math.ceil(length / block_size)
    call = describe_call("PagedKVCache", f"<{n_layer} layers, {n_head} heads of {head_dim}>", batch, need + 2,
                         block_size, torch.float64)
    cache = kata.PagedKVCache(cfg, batch, need + 2, block_size, torch.float64)
    ks = [kv(seed + layer, batch, n_head, length, head_dim) for layer in range(n_layer)]
    ends = [prefill] + list(range(prefill + 1, length + 1))
    start = 0
    for end in ends:                                    # the order a model writes: layer 0 first, every step
        for layer, (k, v) in enumerate(ks):
            cache.write(layer, k[:, :, start:end], v[:, :, start:end], start)
        start = end
    assert cache.block_tables == reference_tables(batch, block_size, ends), (
        f"{call}: block tables {cache.block_tables}, expected {reference_tables(batch, block_size, ends)}")
    assert cache.blocks_in_use() == need, f"{call}.blocks_in_use() = {cache.blocks_in_use()}, expected {need}"
    per_block = 2 * n_layer * n_head * block_size * head_dim * 8
    assert cache.nbytes_in_use() == need * per_block, (
        f"{call}.nbytes_in_use() = {cache.nbytes_in_use()}, expected {need} blocks x {per_block} bytes")
    for layer, (k, v) in enumerate(ks):
        for end in (1, prefill, length):
            got_k, got_v = cache.read(layer, end)
            assert_equal(got_k, k[:, :, :end], name=f"layer {layer} keys read back (end={end})", call=call)
            assert_equal(got_v, v[:, :, :end], name=f"layer {layer} values read back (end={end})", call=call)
    small = kata.PagedKVCache(cfg, batch, need - 1, block_size, torch.float64)
    with pytest.raises(RuntimeError):
        k, v = ks[0]
        small.write(0, k, v, 0)
        pytest.fail(f"writing {length} positions of {batch} sequences into {need - 1} blocks did not raise RuntimeError")


@settings(max_examples=10)
@given(seed=seeds(), batch=dims(1, 3), prompt_len=dims(1, 6), n_new=st.integers(0, 8), block_size=dims(1, 5))
@example(seed=0, batch=2, prompt_len=3, n_new=6, block_size=2)
@example(seed=1, batch=1, prompt_len=4, n_new=0, block_size=4)
@example(seed=2, batch=2, prompt_len=2, n_new=1, block_size=3)
def test_cached_generation_gives_the_eager_tokens(kata, seed, batch, prompt_len, n_new, block_size):
    model = random_gpt(seed)
    prompt = torch.randint(7, (batch, prompt_len), generator=torch.Generator().manual_seed(seed + 1))
    want = reference_greedy(model, prompt, n_new)
    total = prompt_len + n_new
    for cache in (kata.StaticKVCache(model.cfg, batch, total + 1, torch.float64),
                  kata.PagedKVCache(model.cfg, batch, batch * math.ceil(total / block_size), block_size, torch.float64)):
        call = describe_call("generate_cached", "<random float64 CharGPT>", prompt, n_new, type(cache).__name__)
        got = kata.generate_cached(model, prompt, n_new, cache)
        assert_equal(got, want, name="generated ids (the greedy tokens of the uncached model)", call=call)


def test_the_cache_turns_quadratic_work_linear(kata):
    """FlopCounterMode on the trained model: an 8-char prompt, 20 new characters."""
    model = kata.workbook_lm()
    prompt = kata.prompt_batch(1, 8)
    counts = {}
    for name, run in (("eager", lambda: kata.generate_eager(model, prompt, 20)),
                      ("static", lambda: kata.generate_cached(model, prompt, 20, kata.StaticKVCache(model.cfg, 1, 28))),
                      ("paged", lambda: kata.generate_cached(model, prompt, 20, kata.PagedKVCache(model.cfg, 1, 2, 16)))):
        with FlopCounterMode(display=False) as counter:
            run()
        counts[name] = counter.get_total_flops()
    # cached: one forward over the 8 prompt tokens, then 19 single tokens; each token costs about
    # 2 x parameters FLOPs plus its attention (bounded by another 2 x parameters here). Eager re-runs the
    # whole prefix every step: 8 + 9 + ... + 27 = 350 token-forwards instead of 27.
    per_token = 2 * lm.n_params(model) * 2
    assert counts["static"] == counts["paged"] <= (8 + 19) * per_token, f"matmul FLOPs {counts}"
    # exactly one prefill and 19 single-token steps: the last new token needs no forward pass
    cache = kata.StaticKVCache(model.cfg, 1, 28)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        kata.forward_with_cache(model, prompt, 0, cache)
        for position in range(8, 27):
            kata.forward_with_cache(model, prompt[:, :1], position, cache)
    assert counts["static"] == counter.get_total_flops(), (
        f"generate_cached did {counts['static']} matmul FLOPs; a prefill over the 8-char prompt and 19 one-token "
        f"steps do {counter.get_total_flops()}")
    assert counts["eager"] > 8 * counts["static"], (
        f"matmul FLOPs {counts}: without a cache every step re-runs the whole sequence (quadratic in its length)")


@settings(max_examples=1)  # the trained model, three ways; the prompts' start in the held-out text is drawn
@given(start=st.integers(0, 50_000))
@example(start=0)
def test_the_three_serving_paths_agree_on_the_trained_model(kata, start):
    model = kata.workbook_lm()
    prompt = kata.prompt_batch(3, 10, start)
    eager = kata.generate_eager(model, prompt, 32)
    static = kata.StaticKVCache(model.cfg, 3, 128)
    paged = kata.PagedKVCache(model.cfg, 3, 12, 16)
    for cache in (static, paged):
        got = kata.generate_cached(model, prompt, 32, cache)
        assert_equal(got, eager, name=f"tokens with a {type(cache).__name__}",
                     call=describe_call("generate_cached", "workbook_lm()", prompt, 32, type(cache).__name__))
    assert lm.decode(eager[0, :10]) == lm.decode(prompt[0]), "the output should start with the prompt"
    # 42 positions: 3 blocks of 16 per sequence in use, against 128 reserved slots per sequence.
    assert paged.blocks_in_use() == 9 and paged.nbytes_in_use() * 128 == static.nbytes() * 48, (
        f"paged cache: {paged.blocks_in_use()} blocks, {paged.nbytes_in_use()} bytes; static {static.nbytes()} bytes")


def test_int8_dynamic_quantization_of_the_trained_model(kata):
    model = kata.workbook_lm()
    before = copy.deepcopy(model.state_dict())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # torch.ao.quantization is deprecated in favour of torchao, still works
        qmodel = kata.quantize_int8(model)
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items()), "quantize_int8 changed the model"
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 17 and all(type(m) is nn.Linear for m in linears), "quantize_int8 changed the model"
    kinds = {f"{type(m).__module__}.{type(m).__name__}" for m in qmodel.modules() if type(m).__name__ == "Linear"}
    assert kinds == {"torch.ao.nn.quantized.dynamic.modules.linear.Linear"}, (
        f"quantize_int8: the copy's linear layers are {kinds}; every nn.Linear should be torch's dynamic int8 Linear")
    _, val = lm.corpus_splits()
    base, quant = lm.evaluate_loss(model, val[:2049]), lm.evaluate_loss(qmodel, val[:2049])
    assert abs(quant - base) < 0.02, f"held-out loss float32 {base:.4f}, int8 {quant:.4f}: int8 should cost < 0.02 nats"


@pytest.mark.benchmark
def test_benchmark_serving_paths(kata):
    """Real CPU timings: eager vs static vs paged cache, and fp32 vs bf16 vs int8 weights."""
    model = kata.workbook_lm()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        variants = {"fp32": model, "bf16": copy.deepcopy(model).to(torch.bfloat16), "int8": kata.quantize_int8(model)}
    prompt = kata.prompt_batch(4, 8)
    n_new = 56
    rows = []
    for wname, m in variants.items():
        dtype = torch.bfloat16 if wname == "bf16" else torch.float32
        for path in ("eager", "static", "paged"):
            def run(n: int, m=m, path=path, dtype=dtype):
                if path == "eager":
                    return kata.generate_eager(m, prompt, n)
                cache = (kata.StaticKVCache(m.cfg, 4, 64, dtype) if path == "static"
                         else kata.PagedKVCache(m.cfg, 4, 16, 16, dtype))
                return kata.generate_cached(m, prompt, n, cache)
            run(4)                                   # warm-up
            t0 = time.perf_counter()
            run(n_new)
            seconds = time.perf_counter() - t0
            rows.append((wname, path, seconds, 4 * n_new / seconds))
    print("\nweights  path     seconds  tokens/s   (batch 4, 8-char prompts, 56 new chars, 1 thread)")
    for wname, path, seconds, tps in rows:
        print(f"{wname:8s} {path:8s} {seconds:7.3f}  {tps:8.0f}")
