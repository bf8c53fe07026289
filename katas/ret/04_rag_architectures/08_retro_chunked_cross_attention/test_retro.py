"""Tests for ret-04-8, RETRO's chunked cross-attention (CCA).

References: the attending chunk of every position by an explicit loop over chunk ends; the CCA output
against torch.nn.MultiheadAttention called one position at a time on the flattened neighbours of its
attending chunk; causality by torch.autograd: each output row may depend only on its own position of
h and on the neighbours of its attending chunk (whose retrieval used tokens at or before it).
"""
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call


def loop_attending(n: int, m: int) -> list[int]:
    out = []
    for i in range(n):
        complete = [u for u in range(n // m) if (u + 1) * m - 1 <= i]   # chunks whose last token is <= i
        out.append(max(complete) if complete else -1)
    return out


@given(m=st.integers(1, 6), nc=st.integers(1, 5))
@example(m=1, nc=4)    # every position attends to its own chunk
@example(m=4, nc=1)
def test_attending_chunk_matches_loop(kata, m, nc):
    call = describe_call("attending_chunk", nc * m, m)
    got = kata.attending_chunk(nc * m, m)
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected int64"
    assert_equal(got, loop_attending(nc * m, m), name="attending chunk per position", call=call)


@given(m=st.integers(2, 5), nc=st.integers(0, 4), off=st.integers(0, 3))
@example(m=2, nc=0, off=0)
def test_attending_chunk_rejects_bad_lengths(kata, m, nc, off):
    n = nc * m + 1 + off % (m - 1)   # not a multiple of m
    for args in ((n, m), (nc * m, 0), (nc * m, -m)):
        with pytest.raises(ValueError):
            kata.attending_chunk(*args)
            pytest.fail(f"attending_chunk{args} returned instead of raising ValueError")


def make(seed: int, b: int, nc: int, m: int, k: int, r: int, d: int, heads: int, dtype: torch.dtype):
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(b, nc * m, d, generator=g, dtype=torch.float64).to(dtype)
    nb = torch.randn(b, nc, k, r, d, generator=g, dtype=torch.float64).to(dtype)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        attn = nn_attention(d, heads).to(dtype)
    return h, nb, attn


def nn_attention(d: int, heads: int) -> torch.nn.MultiheadAttention:
    return torch.nn.MultiheadAttention(d, heads, batch_first=True, dropout=0.0).eval()


def reference(h: torch.Tensor, nb: torch.Tensor, m: int, attn: torch.nn.MultiheadAttention) -> torch.Tensor:
    b, n, d = h.shape
    out = torch.zeros_like(h)
    chunk = loop_attending(n, m)
    with torch.no_grad():
        for i in range(n):
            u = chunk[i]
            if u < 0:
                continue
            kv = nb[:, u].reshape(b, -1, d)
            out[:, i] = attn(h[:, i:i + 1], kv, kv, need_weights=False)[0][:, 0]
    return out


SHAPES = dict(seed=seeds(), b=st.integers(1, 2), nc=st.integers(1, 4), m=st.integers(1, 4), k=st.integers(1, 3),
              r=st.integers(1, 4), heads=st.sampled_from([1, 2]))


@settings(max_examples=20)
@given(**SHAPES, dtype=torch_float_dtypes())
@example(seed=0, b=2, nc=3, m=3, k=2, r=4, heads=2, dtype=torch.float32)
@example(seed=1, b=1, nc=2, m=1, k=1, r=1, heads=1, dtype=torch.float64)   # m = 1: no prefix
@example(seed=2, b=1, nc=1, m=4, k=2, r=2, heads=2, dtype=torch.float64)   # one chunk: only its last token attends
def test_cca_matches_token_by_token_attention(kata, seed, b, nc, m, k, r, heads, dtype):
    h, nb, attn = make(seed, b, nc, m, k, r, 4, heads, dtype)
    call = describe_call("chunked_cross_attention", h, nb, m, "MultiheadAttention")
    with torch.no_grad():
        got = call_unmodified(kata.chunked_cross_attention, h, nb, m, attn)
    assert_dtype(got, h, call=call)
    # float32: one softmax-weighted sum of <= 12 values, a few ulps
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, reference(h, nb, m, attn), rtol=tol, atol=tol, name="CCA output", call=call)


@settings(max_examples=10)
@given(**{**SHAPES, "r": st.integers(2, 4)}, pos=st.integers(0, 15))   # r >= 2: the output depends on the query
@example(seed=0, b=1, nc=3, m=3, k=2, r=2, heads=1, pos=3)    # first token of chunk 1: still chunk 0's neighbours
@example(seed=0, b=1, nc=3, m=3, k=2, r=2, heads=1, pos=5)    # last token of chunk 1: chunk 1's neighbours
@example(seed=3, b=1, nc=2, m=4, k=1, r=2, heads=2, pos=2)    # in the prefix: depends on nothing
def test_cca_is_causal_across_chunks(kata, seed, b, nc, m, k, r, heads, pos):
    """d out[:, pos] / d neighbours is non-zero only for the attending chunk; / d h only at pos."""
    h, nb, attn = make(seed, b, nc, m, k, r, 4, heads, torch.float64)
    n = nc * m
    pos = pos % n
    h.requires_grad_(True)
    nb.requires_grad_(True)
    out = kata.chunked_cross_attention(h, nb, m, attn)
    weights = torch.randn(out.shape[0], out.shape[2], generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    (out[:, pos] * weights).sum().backward()
    call = describe_call("chunked_cross_attention", h, nb, m, "MultiheadAttention") + f", gradient of output position {pos}"
    u = loop_attending(n, m)[pos]
    chunk_grad = nb.grad.abs().sum(dim=(0, 2, 3, 4)) > 0          # (nc,): which chunks' neighbours it used
    want_chunks = [c == u for c in range(nc)]
    assert_equal(chunk_grad, want_chunks, name=f"chunks whose neighbours output {pos} depends on (expected only {u})",
                 call=call)
    pos_grad = h.grad.abs().sum(dim=(0, 2)) > 0                   # (n,)
    want_pos = [i == pos and u >= 0 for i in range(n)]
    assert_equal(pos_grad, want_pos, name="positions of h the output depends on", call=call)


@given(**SHAPES)
@example(seed=0, b=1, nc=2, m=3, k=1, r=1, heads=1)
def test_prefix_positions_are_zero(kata, seed, b, nc, m, k, r, heads):
    h, nb, attn = make(seed, b, nc, m, k, r, 4, heads, torch.float32)
    with torch.no_grad():
        got = kata.chunked_cross_attention(h, nb, m, attn)
    call = describe_call("chunked_cross_attention", h, nb, m, "MultiheadAttention")
    assert_equal(got[:, : m - 1], torch.zeros(b, m - 1, 4), name=f"first {m - 1} positions (no complete chunk yet)",
                 call=call)


@given(nc=st.integers(1, 3), m=st.integers(2, 4), extra=st.integers(1, 3))
def test_cca_rejects_mismatched_lengths(kata, nc, m, extra):
    h, nb, attn = make(0, 1, nc, m, 1, 2, 4, 1, torch.float32)
    for hh, mm in ((h[:, :-1], m), (torch.cat([h, h[:, :extra]], dim=1), m), (h, m + extra), (h, 0)):
        with pytest.raises(ValueError):
            kata.chunked_cross_attention(hh, nb, mm, attn)
            pytest.fail(f"chunked_cross_attention with n={hh.shape[1]}, nc={nc}, chunk_size={mm} returned instead of raising ValueError")
