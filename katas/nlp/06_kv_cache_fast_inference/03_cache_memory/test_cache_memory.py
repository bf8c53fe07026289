"""Tests for nlp-06-3, the memory cost of a KV cache.

Reference: real tensors allocated in the test and their `nbytes` (the formula must equal what
torch allocates, for every dtype); known storages built in the test (separate tensors, slices of a
preallocated buffer, a fused K/V tensor, expand vs repeat_interleave for grouped-query heads) for
`held_bytes`; closed forms for the budget and the three reservation policies; the byte count of a
growing and of a preallocated cache after every decoding step. A benchmark test prints timings.
"""
import math
import time

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims
from grader.testing import describe_call, smoke

DTYPES = st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8, torch.uint8])


def allocated_kv_bytes(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch: int, dtype: torch.dtype) -> int:
    """Allocate the cache for real (K and V per layer) and add up what torch reserved."""
    return sum(torch.empty(batch, n_kv_heads, seq_len, d_head, dtype=dtype).nbytes for _ in range(2 * n_layers))


@given(n_layers=dims(1, 4), n_kv_heads=dims(1, 8), d_head=dims(1, 16), seq_len=dims(0, 64), batch=dims(1, 3),
       dtype=DTYPES)
@example(n_layers=32, n_kv_heads=32, d_head=128, seq_len=1, batch=1, dtype=torch.float16)  # Llama-2-7B: 0.5 MiB/token
@example(n_layers=2, n_kv_heads=3, d_head=4, seq_len=5, batch=2, dtype=torch.int8)
def test_kv_cache_bytes_equals_what_torch_allocates(kata, n_layers, n_kv_heads, d_head, seq_len, batch, dtype):
    call = describe_call("kv_cache_bytes", n_layers, n_kv_heads, d_head, seq_len, batch_size=batch, dtype=dtype)
    got = kata.kv_cache_bytes(n_layers, n_kv_heads, d_head, seq_len, batch_size=batch, dtype=dtype)
    want = allocated_kv_bytes(n_layers, n_kv_heads, d_head, seq_len, batch, dtype)
    if got != want:
        element = torch.empty((), dtype=dtype).element_size()
        ratio = f"{got / want:.4g} times that" if want else "not 0"
        raise AssertionError(f"{call} returned {got}, but allocating those tensors takes {want} bytes ({ratio}); check "
                             f"the factor 2 for K and V, the {element} bytes per {dtype} element, and the batch")


@given(sizes=st.lists(st.tuples(dims(1, 3), dims(1, 4), dims(1, 6), dims(1, 4)), min_size=1, max_size=4),
       dtype=DTYPES, filled=dims(0, 5), group=dims(2, 4))
@example(sizes=[(1, 2, 4, 3)], dtype=torch.float16, filled=1, group=2)
def test_held_bytes_counts_each_storage_once_in_full(kata, sizes, dtype, filled, group):
    cases = []
    for b, h, t, d in sizes:
        k, v = torch.zeros(b, h, t, d, dtype=dtype), torch.zeros(b, h, t, d, dtype=dtype)
        cases.append(("separate K and V", [k, v], k.nbytes + v.nbytes))
        cases.append(("the same tensor listed twice", [k, k, v], k.nbytes + v.nbytes))
        max_len = t + 5
        kb, vb = torch.zeros(b, h, max_len, d, dtype=dtype), torch.zeros(b, h, max_len, d, dtype=dtype)
        views = [kb[:, :, :filled], vb[:, :, :filled]]
        cases.append((f"views of the first {filled} of {max_len} positions of two buffers", views, kb.nbytes + vb.nbytes))
        kv = torch.zeros(2, b, h, t, d, dtype=dtype)
        cases.append(("K = kv[0], V = kv[1] of one fused tensor", [kv[0], kv[1]], kv.nbytes))
        cases.append(("a transposed view", [k.transpose(1, 2)], k.nbytes))
        shared = k[:, :, None].expand(b, h, group, t, d)
        cases.append((f"K expanded to {group} query heads per KV head (expand)", [shared], k.nbytes))
        copied = k.repeat_interleave(group, dim=1)
        cases.append((f"K copied to {group} query heads per KV head (repeat_interleave)", [copied], copied.nbytes))
    everything = [t for _, tensors, _ in cases[:7] for t in tensors]
    cases.append(("all of the first shape's tensors together", everything,
                  sum(want for _, _, want in cases[:7]) - cases[1][2] - cases[4][2] - cases[5][2]))
    for what, tensors, want in cases:
        got = kata.held_bytes(tensors)
        shown = ", ".join(f"{str(t.dtype).removeprefix('torch.')}{list(t.shape)}" for t in tensors)
        assert got == want, (f"held_bytes([{shown}]) for {what} returned {got}, expected {want}: each distinct "
                             f"storage counts once and in full (t.untyped_storage().nbytes()), views add nothing")


@given(budget=st.integers(0, 10**9), n_layers=dims(1, 40), n_kv_heads=dims(1, 32), d_head=st.sampled_from([16, 64, 128]),
       batch=dims(1, 8), dtype=DTYPES)
@example(budget=16 * 2**30, n_layers=32, n_kv_heads=8, d_head=128, batch=1, dtype=torch.float16)  # Llama-3-8B, 16 GiB
@example(budget=0, n_layers=1, n_kv_heads=1, d_head=16, batch=1, dtype=torch.float16)
@example(budget=192, n_layers=1, n_kv_heads=1, d_head=16, batch=1, dtype=torch.float16)  # exactly 3 positions of 64 B
@example(budget=63, n_layers=1, n_kv_heads=1, d_head=16, batch=1, dtype=torch.float16)   # one byte short of 1
def test_max_seq_len_is_the_largest_that_fits(kata, budget, n_layers, n_kv_heads, d_head, batch, dtype):
    call = describe_call("max_seq_len", budget, n_layers, n_kv_heads, d_head, batch_size=batch, dtype=dtype)
    got = kata.max_seq_len(budget, n_layers, n_kv_heads, d_head, batch_size=batch, dtype=dtype)
    per_token = 2 * n_layers * n_kv_heads * d_head * batch * torch.empty((), dtype=dtype).element_size()
    assert got * per_token <= budget < (got + 1) * per_token, (
        f"{call} returned {got}; a position costs {per_token} bytes, so {got} positions take {got * per_token} and "
        f"{got + 1} take {(got + 1) * per_token} against a budget of {budget}")


@given(lens=st.lists(dims(1, 200), min_size=1, max_size=8), bpt=dims(1, 4096), block=dims(1, 32), slack=dims(0, 50))
@example(lens=[10, 10, 1], bpt=2, block=16, slack=0)
@example(lens=[16, 32], bpt=1, block=16, slack=3)
def test_reserved_bytes_under_each_policy(kata, lens, bpt, block, slack):
    max_len = max(lens) + slack
    exact = sum(lens) * bpt
    contiguous = len(lens) * max_len * bpt
    paged = sum(-(-n // block) * block for n in lens) * bpt
    for policy, kw, want in (("exact", {}, exact), ("contiguous", {"max_len": max_len}, contiguous),
                             ("paged", {"block_size": block}, paged)):
        call = describe_call("reserved_bytes", lens, bpt, policy, **kw)
        got = kata.reserved_bytes(lens, bpt, policy, **kw)
        assert got == want, f"{call} returned {got}, expected {want}"
    # paged wastes less than one block per sequence; contiguous wastes max_len - len per sequence.
    assert exact <= paged < exact + len(lens) * block * bpt
    for kw in ({"policy": "contiguous", "max_len": max(lens) - 1}, {"policy": "contiguous"},
               {"policy": "paged"}, {"policy": "paged", "block_size": 0}, {"policy": "lru"}):
        with pytest.raises(ValueError):
            kata.reserved_bytes(lens, bpt, **kw)
            pytest.fail(f"reserved_bytes({lens}, {bpt}, **{kw}) returned instead of raising ValueError")


@given(n_layers=dims(1, 3), batch=dims(1, 2), n_kv_heads=dims(1, 3), d_head=dims(1, 8), prompt_len=dims(1, 8),
       n_new=dims(0, 6), extra=dims(0, 4), dtype=DTYPES)
@example(n_layers=2, batch=1, n_kv_heads=2, d_head=4, prompt_len=3, n_new=4, extra=2, dtype=torch.float16)
def test_profile_of_a_growing_and_a_preallocated_cache(kata, n_layers, batch, n_kv_heads, d_head, prompt_len, n_new,
                                                       extra, dtype):
    def bytes_at(seq_len: int) -> int:
        return 2 * n_layers * n_kv_heads * d_head * seq_len * batch * torch.empty((), dtype=dtype).element_size()

    max_len = prompt_len + n_new + extra
    args = (n_layers, batch, n_kv_heads, d_head, prompt_len, n_new)
    for name, cache, want in (
            ("DynamicCache", kata.DynamicCache(n_layers), [bytes_at(prompt_len + i) for i in range(n_new + 1)]),
            ("StaticCache", kata.StaticCache(n_layers, batch, n_kv_heads, max_len, d_head, dtype=dtype),
             [bytes_at(max_len)] * (n_new + 1))):
        call = describe_call("profile_decode", f"{name}(...)", *args, dtype=dtype)
        got = [int(x) for x in kata.profile_decode(cache, *args, dtype=dtype)]
        assert got == want, (f"{call} returned {got}, expected {want} (after the prefill, then after each step; a "
                             f"{name} holds " + ("exactly the positions so far)" if name == "DynamicCache" else
                                                 f"its whole {max_len}-position buffers from the start)"))


@pytest.mark.benchmark
def test_benchmark_decode_step_vs_context_length(kata):
    n_layers, heads, d_head = 32, 32, 128   # Llama-2-7B's attention shapes; one layer is timed
    for seq_len in (64,) if smoke() else (512, 2048, 8192, 16384):
        k = torch.randn(1, heads, seq_len, d_head)
        q = torch.randn(1, heads, 1, d_head)
        F.scaled_dot_product_attention(q, k, k)
        t0 = time.perf_counter()
        for _ in range(5):
            F.scaled_dot_product_attention(q, k, k)
        per_step = (time.perf_counter() - t0) / 5 * n_layers
        size = kata.kv_cache_bytes(n_layers, heads, d_head, seq_len, dtype=torch.float16)
        print(f"context {seq_len:6d}: fp16 KV cache {size / 2**30:7.3f} GiB, attention reads it in "
              f"~{1e3 * per_step:8.2f} ms per token on this CPU (float32, {n_layers} layers)")
    assert math.isfinite(per_step)
