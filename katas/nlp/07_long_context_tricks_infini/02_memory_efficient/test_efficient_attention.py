"""Tests for nlp-07-2, memory-efficient attention.

Reference: torch.nn.functional.scaled_dot_product_attention (float64, is_causal for the causal
case) for outputs and, through autograd, for gradients; torch.logsumexp of the scaled scores.
Memory is counted, not timed: a TorchDispatchMode records the largest storage any op produces
(flash must stay linear in L), and saved_tensors_hooks add up what autograd keeps for the backward
pass (recompute must keep O(L·d), where plain attention keeps the (L, L) weights). A benchmark test
prints real timings.
"""
import math
import time

import pytest
import torch
import torch._dynamo  # noqa: F401  (dispatch modes import it on first use, ~2 s: do it at collection, untimed)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, describe_call, smoke


def inputs(seed: int, b: int, h: int, lq: int, lk: int, d: int, d_v: int, requires_grad: bool = False):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(b, h, lq, d, generator=g, dtype=torch.float64) * 2   # sharp weights: maxima change across blocks
    k = torch.randn(b, h, lk, d, generator=g, dtype=torch.float64)
    v = torch.randn(b, h, lk, d_v, generator=g, dtype=torch.float64)
    return tuple(t.requires_grad_(requires_grad) for t in (q, k, v))


def reference_lse(q: torch.Tensor, k: torch.Tensor, causal: bool) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        scores = scores.masked_fill(torch.ones(scores.shape[-2:], dtype=torch.bool).tril().logical_not(), float("-inf"))
    return torch.logsumexp(scores, dim=-1)


def largest_new_storage(fn, *args) -> int:
    """Bytes of the largest storage produced by any single op while fn runs (views of inputs excluded)."""
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_leaves

    known = {a.untyped_storage().data_ptr() for a in args if isinstance(a, torch.Tensor)}
    biggest = [0]

    class Peak(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            for t in tree_leaves(out):
                if isinstance(t, torch.Tensor) and t.untyped_storage().data_ptr() not in known:
                    biggest[0] = max(biggest[0], t.untyped_storage().nbytes())
            return out

    with Peak():
        fn(*args)
    return biggest[0]


def saved_for_backward(fn, *args) -> int:
    """Elements of all tensors autograd saves for the backward pass while fn runs."""
    sizes = []

    def pack(t: torch.Tensor) -> torch.Tensor:
        sizes.append(t.numel())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn(*args)
    return sum(sizes)


@given(b=dims(1, 2), h=dims(1, 2), lq=dims(1, 20), lk=dims(1, 20), d=dims(1, 6), d_v=dims(1, 6),
       block=dims(1, 8), causal=st.booleans(), seed=seeds())
@example(b=1, h=2, lq=10, lk=10, d=4, d_v=3, block=3, causal=True, seed=0)    # the last block is shorter
@example(b=1, h=1, lq=7, lk=7, d=2, d_v=2, block=7, causal=False, seed=1)     # one block: plain softmax
@example(b=2, h=1, lq=5, lk=5, d=3, d_v=2, block=1, causal=True, seed=2)      # one key at a time
@example(b=1, h=1, lq=3, lk=12, d=2, d_v=4, block=5, causal=False, seed=3)    # cross-attention
def test_flash_attention_equals_sdpa(kata, b, h, lq, lk, d, d_v, block, causal, seed):
    if causal:
        lk = lq
    q, k, v = inputs(seed, b, h, lq, lk, d, d_v)
    call = describe_call("flash_attention", q, k, v, block, causal=causal)
    out, lse = kata.flash_attention(q, k, v, block, causal=causal)
    assert_shape(out, (b, h, lq, d_v), name="output", call=call)
    assert_shape(lse, (b, h, lq), name="logsumexp", call=call)
    # float64; the online softmax only reorders the sums.
    assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=causal), rtol=1e-9, atol=1e-10,
                 name="output", call=call)
    assert_close(lse, reference_lse(q, k, causal), rtol=1e-10, atol=1e-10, name="logsumexp", call=call)


@given(lq=dims(1, 6), d=dims(1, 4))
def test_flash_rejects_block_size_zero(kata, lq, d):
    q = torch.zeros(1, 1, lq, d)
    with pytest.raises(ValueError):
        kata.flash_attention(q, q, q, 0)
        pytest.fail("flash_attention(..., block_size=0) returned instead of raising ValueError")


# Memory bounds separate complexity classes, not implementations. An honest linear-memory flash may
# pad keys and values to whole blocks, keep a few extra rows of running statistics, or hold a copy
# of q, k or v: LINEAR_SLACK covers those constant factors. The length is chosen so that even half
# of an (L, L) score matrix per head is well above that allowance.
LINEAR_SLACK = 4


@settings(max_examples=10)  # a dispatch mode intercepts every op
@given(block=dims(1, 8), d=dims(1, 8), d_v=dims(1, 8), extra=dims(0, 8), causal=st.booleans(), seed=seeds())
@example(block=4, d=4, d_v=4, extra=0, causal=True, seed=0)
@example(block=3, d=2, d_v=2, extra=2, causal=False, seed=1)   # L is not a multiple of the block: padding allowed
def test_flash_memory_grows_linearly_with_length(kata, block, d, d_v, extra, causal, seed):
    b, h, width = 1, 2, max(block, d, d_v)
    seq_len = 16 * width + extra
    q, k, v = inputs(seed, b, h, seq_len, seq_len, d, d_v)
    peak = largest_new_storage(lambda q, k, v: kata.flash_attention(q, k, v, block, causal=causal), q, k, v)
    padded = -(-seq_len // block) * block + block            # keys padded to whole blocks, plus one spare block
    allowance = LINEAR_SLACK * b * h * padded * width * 8     # float64 bytes, linear in L
    square = b * h * seq_len * seq_len * 8
    assert peak <= allowance, (
        f"flash_attention(L={seq_len}, block_size={block}, d={d}, d_v={d_v}, {b}x{h} heads, float64): the largest "
        f"tensor any single op created holds {peak} bytes ({peak // 8} float64 values, {peak / square:.0%} of a full "
        f"(L, L) score matrix per head, which is {square} bytes). Linear memory allows {allowance} bytes "
        f"({LINEAR_SLACK} x heads x (L padded to whole blocks + one block) x max(block_size, d, d_v) values): some "
        f"intermediate grows like L x L, e.g. scores against all keys at once or per-block statistics kept for "
        f"every block")


@given(b=dims(1, 2), h=dims(1, 2), lq=dims(1, 12), lk=dims(1, 12), d=dims(1, 5), d_v=dims(1, 5),
       causal=st.booleans(), seed=seeds())
@example(b=1, h=2, lq=6, lk=6, d=3, d_v=2, causal=True, seed=0)
def test_recompute_attention_gradients_equal_sdpa(kata, b, h, lq, lk, d, d_v, causal, seed):
    if causal:
        lk = lq
    q, k, v = inputs(seed, b, h, lq, lk, d, d_v, requires_grad=True)
    g_out = torch.randn(b, h, lq, d_v, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    call = describe_call("recompute_attention", q, k, v, causal=causal)
    out = kata.recompute_attention(q, k, v, causal=causal)
    want = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    assert_close(out, want, rtol=1e-9, atol=1e-10, name="output", call=call)  # float64, same maths
    assert out.requires_grad, f"{call} returned a tensor that does not require grad: gradients cannot flow to q, k, v"
    got = torch.autograd.grad(out, (q, k, v), g_out)
    ref = torch.autograd.grad(want, (q, k, v), g_out)
    for name, g, r in zip("qkv", got, ref, strict=True):
        # float64 backward through softmax: ~1e-12 relative.
        assert_close(g, r, rtol=1e-8, atol=1e-10, name=f"gradient with respect to {name}", call=call)


@settings(max_examples=10)
@given(d=dims(1, 8), d_v=dims(1, 8), extra=dims(0, 8), causal=st.booleans(), seed=seeds())
@example(d=4, d_v=4, extra=0, causal=False, seed=0)
@example(d=1, d_v=1, extra=3, causal=True, seed=1)
def test_recompute_saves_no_attention_matrix(kata, d, d_v, extra, causal, seed):
    b, h, seq_len = 1, 2, 32 * max(d, d_v) + extra
    q, k, v = inputs(seed, b, h, seq_len, seq_len, d, d_v, requires_grad=True)
    saved = saved_for_backward(lambda q, k, v: kata.recompute_attention(q, k, v, causal=causal), q, k, v)
    inputs_and_output = q.numel() + k.numel() + v.numel() + b * h * seq_len * d_v
    # Linear allowance: the inputs and the output twice over (a copy, a contiguous version) plus 8 rows
    # of per-query statistics. The (L, L) weights alone are b*h*L*L > this whenever L >= 32 max(d, d_v).
    allowance = 2 * inputs_and_output + 8 * b * h * seq_len
    plain = saved_for_backward(lambda q, k, v: kata.naive_attention(q, k, v, causal=causal), q, k, v)
    assert saved <= allowance, (
        f"recompute_attention(L={seq_len}, d={d}, d_v={d_v}, {b}x{h} heads) saves {saved} elements for the backward "
        f"pass (counted with saved_tensors_hooks); linear memory allows {allowance} (twice the inputs and the output, "
        f"plus 8 per-query statistics), one (L, L) weight matrix per head is {b * h * seq_len * seq_len}, and "
        f"naive_attention saves {plain}: save the inputs and recompute the weights in backward")


@pytest.mark.benchmark
def test_benchmark_memory_efficient_variants(kata):
    heads, d = 4, 64
    for seq_len in (64,) if smoke() else (512, 1024, 2048, 4096):
        q = torch.randn(1, heads, seq_len, d, requires_grad=True)
        rows = []
        for name, fn in (("naive", lambda x: kata.naive_attention(x, x, x, causal=True)),
                         ("recompute", lambda x: kata.recompute_attention(x, x, x, causal=True)),
                         ("flash (yours, block 256, autograd through the loop)", lambda x: kata.flash_attention(x, x, x, min(256, x.shape[-2]), causal=True)[0]),
                         ("torch SDPA (CPU flash kernel)",
                          lambda x: F.scaled_dot_product_attention(x, x, x, is_causal=True))):
            t0 = time.perf_counter()
            fn(q).sum().backward()
            elapsed = time.perf_counter() - t0
            saved = saved_for_backward(fn, q) * 4
            rows.append(f"{name} {1e3 * elapsed:.0f} ms fwd+bwd, {saved / 2**20:.1f} MiB saved")
        print(f"L={seq_len}: " + "; ".join(rows))
