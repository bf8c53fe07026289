"""Tests for nlp-20-2, an SSM and attention decoding the same long sequence (10k+ tokens).

References: for the SSM, a float64 parallel evaluation of the whole sequence (cumulative products of
the decays, written here in log space); for attention, torch.nn.functional.scaled_dot_product_attention
with is_causal=True on the full sequence (in query chunks for 10k tokens); the memory each decoder
carries is measured from the tensors it keeps (nbytes) and must be constant for the SSM and
2 t d itemsize for the KV cache, at 10,000 tokens.
"""
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def ssm_inputs(seed: int, batch: int, length: int, d: int, n: int, dtype: torch.dtype) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, length, d, generator=g, dtype=torch.float64)
    delta = F.softplus(torch.randn(batch, length, d, generator=g, dtype=torch.float64) - 1)
    A = -torch.rand(d, n, generator=g, dtype=torch.float64) - 0.1
    B = torch.randn(batch, length, n, generator=g, dtype=torch.float64)
    C = torch.randn(batch, length, n, generator=g, dtype=torch.float64)
    D = torch.randn(d, generator=g, dtype=torch.float64)
    return [t.to(dtype) for t in (x, delta, A, B, C, D)]


def ssm_reference(x, delta, A, B, C, D) -> torch.Tensor:
    """h_t = sum_{s<=t} exp(A (cum_t - cum_s)) B_bar_s x_s with cum the running sum of delta: evaluated in chunks."""
    x, delta, A, B, C, D = (t.double() for t in (x, delta, A, B, C, D))
    dA = delta[..., None] * A                                       # (b, L, d, n)
    b = torch.expm1(dA) / A * B[:, :, None, :] * x[..., None]
    h = torch.zeros_like(b[:, 0])
    out = []
    for start in range(0, x.shape[1], 64):                         # exact within a chunk, carried across chunks
        seg_dA, seg_b = dA[:, start:start + 64], b[:, start:start + 64]
        cum = torch.cumsum(seg_dA, dim=1)
        decay = torch.exp(cum[:, :, None] - cum[:, None, :])       # (b, t, s, d, n)
        causal = torch.ones(seg_dA.shape[1], seg_dA.shape[1], dtype=torch.bool).tril()
        decay = decay * causal[None, :, :, None, None]
        hs = (decay * seg_b[:, None]).sum(2) + torch.exp(cum) * h[:, None]
        out.append(hs)
        h = hs[:, -1]
    hs = torch.cat(out, dim=1)
    return (hs * C[:, :, None, :]).sum(-1) + D * x


def attention_reference(q, k, v) -> torch.Tensor:
    q, k, v = q.double(), k.double(), v.double()
    chunks = []
    for start in range(0, q.shape[1], 1000):
        end = min(start + 1000, q.shape[1])
        mask = torch.ones(end - start, end, dtype=torch.bool).tril(diagonal=start)
        chunks.append(F.scaled_dot_product_attention(q[:, start:end], k[:, :end], v[:, :end], attn_mask=mask))
    return torch.cat(chunks, dim=1)


@given(batch=st.integers(1, 2), d=st.integers(1, 4), n=st.integers(1, 4), dtype=torch_float_dtypes(), seed=seeds())
@example(batch=1, d=1, n=1, dtype=torch.float64, seed=0)
def test_ssm_decode_step(kata, batch, d, n, dtype, seed):
    x, delta, A, B, C, D = ssm_inputs(seed, batch, 1, d, n, dtype)
    g = torch.Generator().manual_seed(seed + 1)
    h = torch.randn(batch, d, n, generator=g, dtype=torch.float64).to(dtype)
    call = describe_call("ssm_decode_step", h, x[:, 0], delta[:, 0], A, B[:, 0], C[:, 0], D)
    h_new, y = call_unmodified(kata.ssm_decode_step, h, x[:, 0], delta[:, 0], A, B[:, 0], C[:, 0], D)
    dA = (delta[:, 0, :, None] * A).double()
    want_h = torch.exp(dA) * h.double() + torch.expm1(dA) / A.double() * B[:, 0, None, :].double() * x[:, 0, :, None].double()
    want_y = (want_h * C[:, 0, None, :].double()).sum(-1) + D.double() * x[:, 0].double()
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    assert_dtype(h_new, h, name="new state", call=call)
    assert_close(h_new, want_h, **tol, name="new state", call=call)
    assert_close(y, want_y, **tol, name="output", call=call)


@given(batch=st.integers(1, 2), t=st.integers(0, 12), d=st.integers(1, 8), dtype=torch_float_dtypes(), seed=seeds())
@example(batch=1, t=0, d=1, dtype=torch.float32, seed=0)    # empty cache: attends only to itself
def test_attention_decode_step(kata, batch, t, d, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    k_cache, v_cache = (torch.randn(batch, t, d, generator=g, dtype=torch.float64).to(dtype) for _ in range(2))
    q_t, k_t, v_t = (torch.randn(batch, d, generator=g, dtype=torch.float64).to(dtype) for _ in range(3))
    call = describe_call("attention_decode_step", k_cache, v_cache, q_t, k_t, v_t)
    new_k, new_v, y = call_unmodified(kata.attention_decode_step, k_cache, v_cache, q_t, k_t, v_t)
    keys = torch.cat([k_cache, k_t[:, None]], 1)
    values = torch.cat([v_cache, v_t[:, None]], 1)
    want = F.scaled_dot_product_attention(q_t[:, None].double(), keys.double(), values.double())[:, 0]
    assert_close(new_k, keys, rtol=0, atol=0, name="key cache (old keys, then k_t)", call=call)
    assert_close(new_v, values, rtol=0, atol=0, name="value cache", call=call)
    assert_dtype(y, q_t, call=call)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    assert_close(y, want, **tol, name="output", call=call)


@settings(max_examples=10)
@given(batch=st.integers(1, 2), length=st.integers(1, 150), d=st.integers(1, 3), n=st.integers(1, 3),
       seed=seeds())
def test_streams_match_full_sequence_computations(kata, batch, length, d, n, seed):
    args = ssm_inputs(seed, batch, length, d, n, torch.float64)
    y, sizes = kata.ssm_stream(*args)
    assert_close(y, ssm_reference(*args), rtol=1e-9, atol=1e-10, name="SSM stream outputs",
                 call=describe_call("ssm_stream", *args))
    assert list(sizes) == [batch * d * n * 8] * length, (
        f"ssm_stream reported state sizes {list(sizes)[:4]}..., expected {batch * d * n * 8} bytes at every step "
        f"(the state (batch, d, n) float64 is all it carries)")
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(batch, length, d, generator=g, dtype=torch.float64) for _ in range(3))
    y, sizes = kata.attention_stream(q, k, v)
    assert_close(y, attention_reference(q, k, v), rtol=1e-9, atol=1e-10, name="attention stream outputs",
                 call=describe_call("attention_stream", q, k, v))
    want = [2 * batch * (t + 1) * d * 8 for t in range(length)]
    assert list(sizes) == want, (f"attention_stream reported cache sizes {list(sizes)[:4]}..., expected "
                                 f"{want[:4]}...: keys and values of every token so far, 2 (t + 1) d bytes per item")


@settings(max_examples=1)  # one run of 10,000 tokens through both decoders
@given(seed=seeds())
def test_ten_thousand_tokens(kata, seed):
    length, d, n = 10_000, 2, 4
    args = ssm_inputs(seed, 1, length, d, n, torch.float32)
    y, ssm_sizes = kata.ssm_stream(*args)
    # float32 recurrence over 10k steps, decays < 1: errors do not accumulate beyond a few 1e-5.
    assert_close(y, ssm_reference(*args), rtol=1e-3, atol=1e-4, name="SSM outputs over 10,000 tokens",
                 call="ssm_stream(10,000 tokens)")
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(1, length, d, generator=g) for _ in range(3))
    y, kv_sizes = kata.attention_stream(q, k, v)
    assert_close(y[:, -50:], attention_reference(q, k, v)[:, -50:], rtol=1e-4, atol=1e-5,
                 name="attention outputs of the last 50 of 10,000 tokens", call="attention_stream(10,000 tokens)")
    ssm_sizes, kv_sizes = np.asarray(ssm_sizes), np.asarray(kv_sizes)
    assert np.all(ssm_sizes == ssm_sizes[0]), "the SSM's state must not grow with the sequence"
    ratio = kv_sizes[-1] / ssm_sizes[-1]
    assert ratio == 2 * length * d / (d * n), (
        f"after {length} tokens the KV cache holds {kv_sizes[-1]} bytes and the SSM state {ssm_sizes[-1]}: ratio "
        f"{ratio}, expected 2 L / d_state = {2 * length / n}")
